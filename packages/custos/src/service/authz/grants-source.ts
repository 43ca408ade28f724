// Where key authorization learns a key's grants (issue 16): read from the store (service/grants/, migration 014),
// cached with the key in the KeyCache and dropped with it on every node when a grant changes (CreateGrant,
// RetireGrant and RevokeGrant are 'manage' operations: KeyService invalidates the key and publishes the change).
// authorize-key.ts only asks, and only when neither the key policy nor the caller's roles allow the call.
// Must not import api.
import { GRANT_OPERATIONS } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { GrantRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { readGrantToken } from '../grants/grant-token.js';

/** One grant as the evaluator sees it: who may do which AWS operations on the key, under which constraints. */
export interface GrantView {
  readonly grantId: string;
  /** The grantee as an ARN (`arn:aws:iam::<account>:user/<principal>`, see authz/principals.ts). */
  readonly granteePrincipal: string;
  readonly retiringPrincipal: string | null;
  /** AWS operation names, e.g. `Encrypt`. */
  readonly operations: readonly string[];
  readonly constraints: {
    readonly encryptionContextEquals?: Record<string, string>;
    readonly encryptionContextSubset?: Record<string, string>;
  } | null;
}

/** The operations a grant can allow (ReEncrypt as ReEncryptFrom/To): any other call needs no grant, nor any I/O. */
const GRANTABLE: ReadonlySet<string> = new Set<string>([...GRANT_OPERATIONS, 'ReEncrypt']);
const NONE: readonly GrantView[] = [];

/**
 * The live grants of `keyId` (a key id, never an alias). No promise when they are cached: this can be the hot path.
 * A grant token in the request naming a grant the cached list lacks (another node created it a moment ago) makes
 * this read the store again, so a grant is usable at once with its token even before the change notice arrives.
 * @example const grants = await grantsForKey(ctx, key.id);
 */
export function grantsForKey(ctx: OpContext, keyId: string): readonly GrantView[] | Promise<readonly GrantView[]> {
  if (!GRANTABLE.has(ctx.operation.name)) return NONE;
  const cached = ctx.cache.grants(keyId);
  if (cached && tokenGrantIds(ctx).every((id) => cached.some((grant) => grant.grantId === id))) return cached;
  const epoch = ctx.cache.epoch;
  const db = ctx.store.db; // the call's transaction, when it authorises inside one (authorize-key.ts)
  return repo.grants.forKey(db, keyId).then((records) => {
    const views = records.map(grantView);
    // What a transaction read is not cached: it may yet roll back.
    if (!db.isTransaction) ctx.cache.putGrants(epoch, keyId, views);
    return views;
  });
}

/** The grant ids the request's `grantTokens` name (the handler has already refused tokens Custos did not issue). */
function tokenGrantIds(ctx: OpContext): readonly string[] {
  const tokens = (ctx.input as { grantTokens?: unknown } | null | undefined)?.grantTokens;
  if (!Array.isArray(tokens) || tokens.length === 0) return NONE as readonly never[];
  return tokens.flatMap((token) => {
    try {
      return [readGrantToken(ctx, String(token))];
    } catch {
      return [];
    }
  });
}

function grantView(grant: GrantRecord): GrantView {
  return {
    grantId: grant.id,
    granteePrincipal: grant.granteePrincipal,
    retiringPrincipal: grant.retiringPrincipal,
    operations: grant.operations,
    constraints: grant.constraints,
  };
}
