// Who may retire a grant (AWS "Retiring and revoking grants"): its retiring principal and, when the grant allows
// RetireGrant, its grantee, whatever the key policy says ("determined primarily by the grant"); anyone else as the
// key policy and roles decide for kms:RetireGrant (the account's key managers). Must not import api.
import type { Db } from '../../store/index.js';
import type { GrantRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { admitKey, effectiveState, findKey } from '../key-loading.js';
import { assertStateAllows } from '../lifecycle.js';
import { namesCaller } from './principals.js';

/** Whether the grant itself lets the caller retire it. */
function grantLetsRetire(ctx: OpContext, grant: GrantRecord): boolean {
  return (
    namesCaller(ctx.config, ctx.caller, grant.retiringPrincipal) ||
    (grant.operations.includes('RetireGrant') && namesCaller(ctx.config, ctx.caller, grant.granteePrincipal))
  );
}

/**
 * Admits the RetireGrant call on the grant's key: by the grant for its retiring principal or grantee, otherwise
 * through key authorization (ACCESS_DENIED when neither). Records the key for the audit record and the cache drop.
 */
export async function admitRetire(ctx: OpContext, tx: Db, grant: GrantRecord): Promise<void> {
  const key = await findKey(ctx, tx, grant.keyId);
  if (!grantLetsRetire(ctx, grant)) {
    await admitKey(ctx, key);
    return;
  }
  ctx.audit.keyId = key.id;
  ctx.authz.keysAuthorized += 1; // authorised by the grant itself (AWS), not by the key policy
  assertStateAllows(ctx.operation, effectiveState(ctx, key));
}
