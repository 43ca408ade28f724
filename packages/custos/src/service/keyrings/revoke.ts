// RevokeKeyringKey (MOSIP revokeKey): the keyring's current generations expire a minute ago (MOSIP sets
// key_expire_dtimes = now − 1 min), so the next use generates a new key; the old keys keep decrypting.
// Must not import api.
import { InvalidStateError, NotFoundError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { ringPolicy } from './access.js';
import { isCurrent, levelOf, validityPolicy, type Ring } from './rings.js';

export async function revokeKeyringKey(ctx: OpContext, ring: Ring): Promise<void> {
  await ringPolicy(ctx, ring);
  if (levelOf(ring) !== 'BASE')
    throw new InvalidStateError('KERNEL/SIGN and master keys cannot be revoked', 'KEYRING_REVOKE_REFUSED');
  const { preExpireDays } = await validityPolicy(ctx.store.db, ring);
  const now = ctx.now();
  const entries = await repo.keyringKeys.ofKeyring(ctx.store.db, ring.applicationId, ring.referenceId);
  // Every current entry: a re-certified key has one per certificate.
  const current = entries.filter((e) => e.kind !== 'PARTNER' && isCurrent(e, preExpireDays, now));
  if (current.length === 0) throw new NotFoundError('the keyring has no current key', 'KEYRING_KEY_NOT_FOUND');
  ctx.audit.keyId = current[0]?.keyId ?? null;
  const expiresAt = new Date(now.getTime() - 60_000);
  await ctx.transaction(async (tx) => {
    for (const entry of current) await repo.keyringKeys.setExpiry(tx, entry.id, expiresAt);
  });
}
