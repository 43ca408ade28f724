// CreateGrant: a grant on a key for a principal; with `name`, a repeat with the same parameters returns the same
// grant (a new token each time, as AWS). Must not import api.
import { randomBytes } from 'node:crypto';
import { createGrantOperation, LimitExceededError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { GrantRecord } from '../../store/types.js';
import { defineOperation } from '../define-operation.js';
import { checkGrant, sameConstraints, type CheckedGrant } from '../grants/grant-rules.js';
import { checkGrantTokens, issueGrantToken } from '../grants/grant-token.js';
import { checkSubGrant } from '../grants/sub-grant.js';
import { callerArn, grantPrincipal } from '../grants/principals.js';
import { effectiveState, loadKey, lockKey } from '../key-loading.js';
import { assertStateAllows, LIVE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';

/** The most grants one key holds (AWS allows 50,000; Custos reads a key's grants whole into its cache). */
const MAX_GRANTS_PER_KEY = 1000;

export const createGrant = defineOperation(
  createGrantOperation,
  // AWS: CreateGrant works on Enabled, Disabled and PendingImport keys, not on one pending deletion.
  { access: 'manage', states: LIVE },
  async (ctx, input) => {
    refuseUnsupported(input, ['dryRun']);
    checkGrantTokens(ctx, input.grantTokens);
    const grantee = grantPrincipal(ctx.config, input.granteePrincipal, 'GranteePrincipal');
    const retiring =
      input.retiringPrincipal === undefined
        ? null
        : grantPrincipal(ctx.config, input.retiringPrincipal, 'RetiringPrincipal');
    // Authorised outside the transaction: the grants that may allow it are read through the store's own handle.
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const checked = checkGrant(key, input.operations, input.constraints);
    if (ctx.authz.viaGrants) checkSubGrant(ctx.authz.viaGrants, checked);
    const grantId = await ctx.transaction(async (tx) => {
      // One CreateGrant per key at a time (the name lookup and the count hold), on a key still in a state that allows it.
      assertStateAllows(ctx.operation, effectiveState(ctx, await lockKey(tx, key.id)));
      const asked = { granteePrincipal: grantee, retiringPrincipal: retiring, ...checked };
      if (input.name !== undefined) {
        const same = (await repo.grants.withName(tx, key.id, input.name)).find((g) => sameGrant(g, asked));
        if (same) {
          ctx.audit.details = { grantId: same.id, existing: true };
          return same.id;
        }
      }
      if ((await repo.grants.countForKey(tx, key.id)) >= MAX_GRANTS_PER_KEY)
        throw new LimitExceededError(`a key holds at most ${MAX_GRANTS_PER_KEY} grants`);
      const id = randomBytes(32).toString('hex');
      await repo.grants.insert(tx, {
        id,
        keyId: key.id,
        granteePrincipal: grantee,
        retiringPrincipal: retiring,
        operations: checked.operations,
        constraints: checked.constraints,
        name: input.name ?? null,
        issuingPrincipal: callerArn(ctx.config, ctx.caller),
        createdAt: ctx.now(),
      });
      ctx.audit.details = { grantId: id, granteePrincipal: grantee, operations: checked.operations };
      return id;
    });
    return { grantId, grantToken: issueGrantToken(ctx, grantId) };
  },
);

/** AWS Name idempotency: the same grantee, retiring principal, operations and constraints. */
function sameGrant(
  grant: GrantRecord,
  asked: CheckedGrant & Pick<GrantRecord, 'granteePrincipal' | 'retiringPrincipal'>,
): boolean {
  return (
    grant.granteePrincipal === asked.granteePrincipal &&
    grant.retiringPrincipal === asked.retiringPrincipal &&
    grant.operations.length === asked.operations.length &&
    grant.operations.every((op, i) => op === asked.operations[i]) &&
    sameConstraints(grant.constraints, asked.constraints)
  );
}
