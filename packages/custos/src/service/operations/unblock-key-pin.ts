// UnblockKeyPin: resets a PIN-protected key's failure counter — with no PUK by a caller with the `manage` right (an
// admin), or with the key's PUK by a caller who may use the key (a key-user role under the default policy, or what the
// key's own policy allows), who may also set a new PIN. Must not import api.
import { AccessDeniedError, KeyPinError, unblockKeyPinOperation, ValidationError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { hashSecret, verifySecret } from '../key-pins/pin-hash.js';
import { checkPin } from '../key-pins/pin-policy.js';
import { LIVE, ROLE_GRANTS, type Access } from '../lifecycle.js';

/** Wrong PUKs in a row before the PUK stops working (KEY_PUK_BLOCKED): then only an admin unblock helps. */
const PUK_RETRY_LIMIT = 10;

/** Whether the caller's roles grant `access` (the role gate lets in both kinds of caller: `read`). */
function requireAccess(ctx: OpContext, access: Access, why: string): void {
  const roles = ctx.caller.roles.filter((role) => Object.hasOwn(ROLE_GRANTS, role));
  if (!roles.some((role) => ROLE_GRANTS[role].includes(access))) {
    throw new AccessDeniedError(`${ctx.caller.principal} may not ${why}`);
  }
}

export const unblockKeyPin = defineOperation(
  unblockKeyPinOperation,
  // `read` admits key users and key admins alike; the handler asks for `manage` (no PUK) or `use` (PUK).
  { access: 'read', states: LIVE },
  async (ctx, input) => {
    if (input.newPin !== undefined && input.puk === undefined) throw new ValidationError('newPin needs the puk');
    // loadKey authorises kms:UnblockKeyPin on the key (its policy, roles, grants); then the way in asks for more.
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    if (input.puk === undefined) requireAccess(ctx, 'manage', 'unblock a key without its PUK');
    // With the PUK: under the default policy (which delegates to roles), a role that uses keys; a key policy of its
    // own decides alone (it may allow kms:UnblockKeyPin to a principal with no role, who uses the key by it).
    else if (key.policy === null) requireAccess(ctx, 'use', 'unblock a key it may not use');
    if (!key.pinProtected) throw new ValidationError('the key has no PIN');
    ctx.audit.details = { unblockedWith: input.puk === undefined ? 'admin' : 'puk', pinChanged: false };

    if (input.puk !== undefined) {
      const state = await repo.keyPins.get(ctx.store.db, key.id);
      if (state === undefined) throw new ValidationError('the key has no PIN');
      if (input.newPin !== undefined) checkPin(state.policy, input.newPin);
      await checkPuk(ctx, key.id, input.puk);
    }
    const pinHash =
      input.newPin === undefined ? undefined : await hashSecret(ctx.tokenHasher, key.id, 'pin', input.newPin);
    await ctx.transaction(async (tx) => {
      await repo.keyPins.change(
        tx,
        key.id,
        () => ({ pinFailures: 0, pukFailures: 0, blocked: false, ...(pinHash !== undefined && { pinHash }) }),
        ctx.now(),
      );
      if (pinHash !== undefined) ctx.audit.details = { ...ctx.audit.details, pinChanged: true };
    });
    return {};
  },
);

/** As PINs are checked (check-key-pin.ts): a PUK try is reserved before the comparison, so bursts count in full. */
async function checkPuk(ctx: OpContext, keyId: string, puk: string): Promise<void> {
  const reserved = await repo.keyPins.change(
    ctx.store.db,
    keyId,
    (s) => (s.pukFailures >= PUK_RETRY_LIMIT ? null : { pukFailures: s.pukFailures + 1 }),
    ctx.now(),
  );
  if (reserved === undefined) throw new ValidationError('the key has no PIN');
  if (reserved.written === null) {
    throw new KeyPinError('the PUK is blocked by wrong PUKs: only an admin can unblock the key', 'KEY_PUK_BLOCKED');
  }
  if (await verifySecret(ctx.tokenHasher, keyId, 'puk', puk, reserved.before.pukHash)) return;
  const left = PUK_RETRY_LIMIT - reserved.before.pukFailures - 1;
  if (left <= 0) throw new KeyPinError('wrong PUK: the PUK is now blocked', 'KEY_PUK_BLOCKED');
  throw new KeyPinError(`wrong PUK: ${left} ${left === 1 ? 'try' : 'tries'} left`, 'KEY_PUK_INVALID');
}
