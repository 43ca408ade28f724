// ML-DSA signatures (FIPS 204; AWS ML_DSA_SHAKE_256): pure ML-DSA with an empty context over a RAW message (up to
// 4096 bytes, the contract's bound), or over a caller's 64-byte μ (EXTERNAL_MU); never DIGEST. Hedged signing.
// Pure; must not import store, service or api.
import { ValidationError, type MessageType } from '@custos/contract';
import type { KeySpecEntry } from '../key-specs.js';
import { decodeSpki } from '../pq/der.js';
import { PQ } from '../pq/implementation.js';
import { nobleSignMu, nobleVerifyMu } from '../pq/noble.js';
import { MU_BYTES } from '../pq/parameters.js';
import { pqParameters, pqPrivateKey, type PqPrivateKey } from '../pq/private-key.js';
import type { SecretBytes } from '../secret-bytes.js';

/** AWS KMS Sign: ML-DSA takes RAW or EXTERNAL_MU; μ is exactly 64 bytes (FIPS 204 Algorithm 7, line 6). */
function checkMessage(message: Uint8Array, messageType: MessageType): void {
  if (messageType === 'DIGEST')
    throw new ValidationError('ML_DSA_SHAKE_256 signs RAW or EXTERNAL_MU messages, not DIGEST', 'VALIDATION_ERROR');
  if (messageType === 'EXTERNAL_MU' && message.length !== MU_BYTES)
    throw new ValidationError(`an EXTERNAL_MU message must be ${String(MU_BYTES)} bytes`, 'VALIDATION_ERROR');
}

/** Signs; ValidationError for DIGEST or an EXTERNAL_MU message that is not 64 bytes. */
export function mlDsaSign(
  spec: KeySpecEntry,
  privateKey: SecretBytes | PqPrivateKey,
  message: Uint8Array,
  messageType: MessageType,
): Uint8Array {
  const parameters = pqParameters(spec, 'ml-dsa');
  checkMessage(message, messageType);
  const key = pqPrivateKey(parameters, privateKey);
  return messageType === 'EXTERNAL_MU' ? nobleSignMu(key.noble, message) : PQ.sign(key.handle, message);
}

/** `publicKey` is SPKI DER. False for any wrong or malformed signature; ValidationError for a bad message type. */
export function mlDsaVerify(
  spec: KeySpecEntry,
  publicKey: Uint8Array,
  message: Uint8Array,
  messageType: MessageType,
  signature: Uint8Array,
): boolean {
  const parameters = pqParameters(spec, 'ml-dsa');
  checkMessage(message, messageType);
  const raw = decodeSpki(parameters, publicKey);
  return messageType === 'EXTERNAL_MU'
    ? nobleVerifyMu(parameters, raw, message, signature)
    : PQ.verify(parameters, raw, message, signature);
}
