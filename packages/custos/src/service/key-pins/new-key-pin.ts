// CreateKey's PIN fields: the policy and PIN checked, hashed with a new PUK, as the key_pins row the key is inserted
// with. Must not import api.
import { ValidationError, type CreateKeyRequest } from '@custos/contract';
import type { KeyPinRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { checkPin, checkPinPolicy } from './pin-policy.js';
import { hashSecret, newPuk } from './pin-hash.js';

/**
 * The PIN row of a new key and its PUK (returned once, never stored but hashed), or undefined when the request sets
 * no PIN policy. VALIDATION_ERROR for a policy without a PIN (or the reverse) or a self-contradicting policy,
 * KEY_PIN_POLICY_VIOLATION for a PIN the policy refuses.
 */
export async function newKeyPin(
  ctx: OpContext,
  keyId: string,
  input: Pick<CreateKeyRequest, 'pinPolicy' | 'pin'>,
  now: Date,
): Promise<{ readonly record: KeyPinRecord; readonly puk: string } | undefined> {
  const { pinPolicy, pin } = input;
  if (pinPolicy === undefined && pin === undefined) return undefined;
  if (pinPolicy === undefined || pin === undefined) throw new ValidationError('pinPolicy and pin go together');
  checkPinPolicy(pinPolicy);
  checkPin(pinPolicy, pin);
  const puk = newPuk();
  const [pinHash, pukHash] = await Promise.all([
    hashSecret(ctx.tokenHasher, keyId, 'pin', pin),
    hashSecret(ctx.tokenHasher, keyId, 'puk', puk),
  ]);
  const record: KeyPinRecord = {
    keyId,
    policy: pinPolicy,
    pinHash,
    pukHash,
    pinFailures: 0,
    pukFailures: 0,
    blocked: false,
    createdAt: now,
    updatedAt: now,
  };
  return { record, puk };
}
