// What the secret-key families (AES, HMAC) share: random generation and the length check of imported bytes.
// Pure; must not import store, service or api.
import { InternalError, ValidationError } from '@custos/contract';
import { exposeSecret, SecretBytes } from '../secret-bytes.js';
import type { GeneratedKey, SpecParameters } from './key-family.js';

function keyBytesOf(spec: SpecParameters): number {
  if (spec.keyBytes === undefined) throw new InternalError(`${spec.name} has no raw key length`);
  return spec.keyBytes;
}

/** keyBytes random bytes (node's CSPRNG). */
export const generateSecret = (spec: SpecParameters): Promise<GeneratedKey> =>
  Promise.resolve({ material: SecretBytes.random(keyBytesOf(spec)) });

/** Raw bytes of exactly keyBytes, copied; ValidationError('INVALID_KEY_MATERIAL') otherwise. */
export function checkSecret(spec: SpecParameters, material: SecretBytes): GeneratedKey {
  const length = keyBytesOf(spec);
  if (material.length !== length)
    throw new ValidationError(
      `imported key material is not valid for the key spec: expected ${String(length)} bytes`,
      'INVALID_KEY_MATERIAL',
    );
  return { material: SecretBytes.from(exposeSecret(material)) };
}
