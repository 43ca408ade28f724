// The AES family (FIPS 197): raw 16-, 24- or 32-byte keys, SYMMETRIC_DEFAULT (AES-GCM) and the key derivations.
// Pure; must not import store, service or api.
import type { Algorithm } from '@custos/contract';
import type { SecretKeyFamily } from './key-family.js';
import { checkSecret, generateSecret } from './secret-key.js';

export const AES = {
  name: 'aes',
  material: 'raw',
  kty: 'oct',
  serves: ['SYMMETRIC_DEFAULT', 'HKDF_SHA_256', 'HKDF_SHA_384', 'HKDF_SHA_512', 'PBKDF2_SHA_256', 'PBKDF2_SHA_512'],
  // SYMMETRIC_DEFAULT is AES-GCM at the key's size: A128GCM, A192GCM, A256GCM (RFC 7518 §5.1, §5.3). The JWK
  // names the content-encryption algorithm the key serves directly; the KDFs have no JOSE name.
  joseAlg: (spec, algorithm: Algorithm) =>
    algorithm === 'SYMMETRIC_DEFAULT' && spec.keyBytes !== undefined ? `A${String(spec.keyBytes * 8)}GCM` : undefined,
  generate: generateSecret,
  checkImport: checkSecret,
} as const satisfies SecretKeyFamily;
