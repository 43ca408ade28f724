// ML-KEM encapsulation and decapsulation (FIPS 203 §7.2-7.3; AWS Encapsulate/Decapsulate with ML_KEM): a 32-byte
// shared secret. Pure; must not import store, service or api.
import { InvalidCiphertextError } from '@custos/contract';
import type { KeySpecEntry } from '../key-specs.js';
import { decodeSpki } from '../pq/der.js';
import { PQ } from '../pq/implementation.js';
import { pqParameters, pqPrivateKey, type PqPrivateKey } from '../pq/private-key.js';
import type { SecretBytes } from '../secret-bytes.js';

/** A fresh shared secret and its ciphertext under `publicKey` (SPKI DER of the spec). */
export function mlKemEncapsulate(
  spec: KeySpecEntry,
  publicKey: Uint8Array,
): { sharedSecret: Uint8Array; ciphertext: Uint8Array } {
  const parameters = pqParameters(spec, 'ml-kem');
  return PQ.encapsulate(parameters, decodeSpki(parameters, publicKey));
}

/**
 * The shared secret of `ciphertext`. A ciphertext of the wrong length is INVALID_CIPHERTEXT (FIPS 203 §7.3's input
 * check); one of the right length always gives a secret (implicit rejection: a wrong one gives a random-looking one).
 */
export function mlKemDecapsulate(
  spec: KeySpecEntry,
  privateKey: SecretBytes | PqPrivateKey,
  ciphertext: Uint8Array,
): Uint8Array {
  const parameters = pqParameters(spec, 'ml-kem');
  if (ciphertext.length !== parameters.outputBytes) throw new InvalidCiphertextError();
  return PQ.decapsulate(pqPrivateKey(parameters, privateKey).handle, ciphertext);
}
