// The per-use PIN check of PIN-protected keys (SKS PIN policies): called once from admitKey (key-loading.ts), after
// authorisation and the state check. Must not import api.
import { InternalError, KeyPinError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { KeyPinRecord, KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import type { Access } from '../lifecycle.js';
import { pinCacheOf } from './pin-cache.js';
import { verifySecret } from './pin-hash.js';

/**
 * The calls that need the PIN: every use of the key ('use'), taking its material out ('export'), and the one
 * management call that signs with it (CreateSelfSignedCertificate). Reading its metadata, public key or attestation
 * does not.
 */
const PIN_ACCESS: ReadonlySet<Access> = new Set(['use', 'export']);
const PIN_OPERATIONS: ReadonlySet<string> = new Set(['CreateSelfSignedCertificate']);

/**
 * The key, once the call has shown its PIN (`ctx.caller.keyPin`) if the key has one and the call needs it: at once
 * (no promise) for every other key, so the hot path is unchanged. KEY_PIN_REQUIRED when the call has no PIN,
 * KEY_PIN_INVALID (tries left in the message) when it is wrong, KEY_PIN_BLOCKED at the retry limit.
 */
export function admitPin(ctx: OpContext, key: KeyRecord): KeyRecord | Promise<KeyRecord> {
  if (!key.pinProtected) return key;
  if (!PIN_ACCESS.has(ctx.operation.access) && !PIN_OPERATIONS.has(ctx.operation.name)) return key;
  return checkKeyPin(ctx, key).then(() => key);
}

const isBlocked = (state: KeyPinRecord): boolean => state.blocked || state.pinFailures >= state.policy.retryLimit;

const blocked = (): KeyPinError =>
  new KeyPinError('the key is blocked by wrong PINs: unblock it with its PUK or ask an admin', 'KEY_PIN_BLOCKED');

/**
 * The PIN row is read first (MAC checked: a reset counter or swapped hash is INTERNAL): a blocked key is refused at
 * once. A success this node remembers for this key, principal, PIN and stored PIN hash (pin-cache.ts) skips scrypt.
 * Otherwise a try is reserved (the failure counter raised) before the PIN is compared, and given back only by a right
 * PIN: concurrent tries on any node each take one of the `retryLimit`, so no burst of guesses gets more than that
 * many comparisons. A right PIN resets the counter unless a wrong one has blocked the key meanwhile.
 */
async function checkKeyPin(ctx: OpContext, key: KeyRecord): Promise<void> {
  const pin = ctx.caller.keyPin;
  if (pin === undefined || pin === '') {
    throw new KeyPinError(
      'the key is PIN-protected: send its PIN (body field pin or X-Custos-Key-Pin)',
      'KEY_PIN_REQUIRED',
    );
  }
  const db = ctx.store.db; // never the call's transaction: a wrong try counts whatever the call does afterwards
  const state = await repo.keyPins.get(db, key.id);
  // The key row (MAC'd) says it has a PIN: a PIN row gone missing is tampering, never "no PIN needed".
  if (state === undefined) throw new InternalError(`key ${key.id} is PIN-protected but its PIN row is missing`);
  if (isBlocked(state)) throw blocked();
  const cache = pinCacheOf(ctx.cache);
  const entry = cache.entry(key.id, ctx.caller.principal, pin, state.pinHash);
  if (cache.has(entry, Date.now())) {
    if (state.pinFailures > 0) await resetFailures(ctx, key.id, state.pinHash);
    return;
  }

  const reserved = await repo.keyPins.change(
    db,
    key.id,
    (s) => (isBlocked(s) ? null : { pinFailures: s.pinFailures + 1 }),
    ctx.now(),
  );
  if (reserved === undefined) throw new InternalError(`key ${key.id} is PIN-protected but its PIN row is missing`);
  if (reserved.written === null) throw blocked();

  if (await verifySecret(ctx.tokenHasher, key.id, 'pin', pin, reserved.before.pinHash)) {
    await resetFailures(ctx, key.id, reserved.before.pinHash);
    cache.remember(cache.entry(key.id, ctx.caller.principal, pin, reserved.before.pinHash), Date.now());
    return;
  }
  const failed = await repo.keyPins.change(
    db,
    key.id,
    (s) => (!s.blocked && s.pinFailures >= s.policy.retryLimit ? { blocked: true } : null),
    ctx.now(),
  );
  const after = failed?.before ?? reserved.before;
  const left = after.policy.retryLimit - after.pinFailures;
  if (after.blocked || left <= 0) throw blocked();
  throw new KeyPinError(`wrong PIN: ${left} ${left === 1 ? 'try' : 'tries'} left`, 'KEY_PIN_INVALID');
}

/** A right PIN resets the counter, unless the key was blocked (or its PIN changed) since it was checked. */
async function resetFailures(ctx: OpContext, keyId: string, pinHash: string): Promise<void> {
  const reset = await repo.keyPins.change(
    ctx.store.db,
    keyId,
    (s) => (s.blocked || s.pinHash !== pinHash ? null : { pinFailures: 0 }),
    ctx.now(),
  );
  if (reset === undefined || reset.written === null) throw blocked();
}
