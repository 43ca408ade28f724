// The HMAC family (RFC 2104, FIPS 198-1): raw keys as long as the digest (as AWS KMS), one MAC each, and the key
// derivations. Pure; must not import store, service or api.
import type { Algorithm } from '@custos/contract';
import type { SecretKeyFamily } from './key-family.js';
import { checkSecret, generateSecret } from './secret-key.js';

/** RFC 7518 §3.2; JOSE has no HMAC with SHA-224. */
const JOSE: Partial<Record<Algorithm, string>> = {
  HMAC_SHA_256: 'HS256',
  HMAC_SHA_384: 'HS384',
  HMAC_SHA_512: 'HS512',
};

export const HMAC = {
  name: 'hmac',
  material: 'raw',
  kty: 'oct',
  serves: [
    'HMAC_SHA_224',
    'HMAC_SHA_256',
    'HMAC_SHA_384',
    'HMAC_SHA_512',
    'HKDF_SHA_256',
    'HKDF_SHA_384',
    'HKDF_SHA_512',
    'PBKDF2_SHA_256',
    'PBKDF2_SHA_512',
  ],
  joseAlg: (_spec, algorithm) => JOSE[algorithm],
  generate: generateSecret,
  checkImport: checkSecret,
} as const satisfies SecretKeyFamily;
