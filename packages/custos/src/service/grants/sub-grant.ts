// A grantee who may CreateGrant only through a grant gives no more than it holds (AWS: "the grantee can create grants
// with the same or fewer operations and constraints that are at least as strict"). Must not import api or store.
import { AccessDeniedError } from '@custos/contract';
import type { GrantConstraintsRecord } from '../../store/types.js';
import type { GrantView } from '../authz/grants-source.js';
import type { CheckedGrant } from './grant-rules.js';

type Context = Readonly<Record<string, string>>;

/** Whether every pair of `wanted` is in `given`. */
const holds = (given: Context | undefined, wanted: Context): boolean =>
  given !== undefined && Object.entries(wanted).every(([k, v]) => given[k] === v);

/**
 * Whether constraints `asked` allow no request that `held` refuses. Conservative: a request allowed by `asked` must
 * carry every pair `held` demands, and an exact context demanded by `held` must be demanded exactly by `asked`.
 */
function atLeastAsStrict(held: GrantConstraintsRecord | null, asked: GrantConstraintsRecord | null): boolean {
  if (held === null) return true;
  if (asked === null) return false;
  if (held.encryptionContextEquals !== undefined) {
    const equals = asked.encryptionContextEquals;
    return (
      equals !== undefined && holds(equals, held.encryptionContextEquals) && holds(held.encryptionContextEquals, equals)
    );
  }
  const subset = held.encryptionContextSubset ?? {};
  return holds(asked.encryptionContextEquals, subset) || holds(asked.encryptionContextSubset, subset);
}

/**
 * Throws ACCESS_DENIED unless one of the grants that let the caller CreateGrant holds every operation of the grant
 * asked for, with constraints no looser than its own.
 * @example if (ctx.authz.viaGrants) checkSubGrant(ctx.authz.viaGrants, checked);
 */
export function checkSubGrant(allowing: readonly GrantView[], asked: CheckedGrant): void {
  const covered = allowing.some(
    (grant) =>
      asked.operations.every((op) => grant.operations.includes(op)) &&
      atLeastAsStrict(grant.constraints ?? null, asked.constraints),
  );
  if (!covered)
    throw new AccessDeniedError(
      'a grantee may create grants only with operations and constraints of a grant it holds (no more operations, no looser constraints)',
    );
}
