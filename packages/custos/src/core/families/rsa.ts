// The RSA family (RFC 8017): PKCS#8 keys of the spec's modulus, e = 65537; OAEP encryption, PSS and PKCS#1 v1.5
// signatures. Pure; must not import store, service or api.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { InternalError, type Algorithm } from '@custos/contract';
import type { KeyPairFamily } from './key-family.js';
import { checkPrivateKey, encodePair } from './key-pair.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** RFC 7518 §3.1 (RS*, PS*: PSS salt = digest length, as Custos signs), §4.1 (RSA-OAEP is SHA-1 for OAEP and MGF1). */
const JOSE: Partial<Record<Algorithm, string>> = {
  RSAES_OAEP_SHA_1: 'RSA-OAEP',
  RSAES_OAEP_SHA_256: 'RSA-OAEP-256',
  RSASSA_PSS_SHA_256: 'PS256',
  RSASSA_PSS_SHA_384: 'PS384',
  RSASSA_PSS_SHA_512: 'PS512',
  RSASSA_PKCS1_V1_5_SHA_256: 'RS256',
  RSASSA_PKCS1_V1_5_SHA_384: 'RS384',
  RSASSA_PKCS1_V1_5_SHA_512: 'RS512',
};

export const RSA = {
  name: 'rsa',
  material: 'pkcs8',
  kty: 'RSA',
  oid: '1.2.840.113549.1.1.1', // rsaEncryption
  node: { keyType: 'rsa' },
  pairwise: { digest: 'sha256' },
  serves: [
    'RSAES_OAEP_SHA_1',
    'RSAES_OAEP_SHA_256',
    'RSASSA_PSS_SHA_256',
    'RSASSA_PSS_SHA_384',
    'RSASSA_PSS_SHA_512',
    'RSASSA_PKCS1_V1_5_SHA_256',
    'RSASSA_PKCS1_V1_5_SHA_384',
    'RSASSA_PKCS1_V1_5_SHA_512',
  ],
  joseAlg: (_spec, algorithm) => JOSE[algorithm],
  // An encryption key allows both OAEP variants unless constrained; its JWK names RSA-OAEP-256 (RFC 7518 §4.3:
  // SHA-256 for OAEP and MGF1, exactly RSAES_OAEP_SHA_256), the stronger hash, so a JOSE encrypter that reads the
  // JWK wraps a CEK this key decrypts. A key constrained to RSAES_OAEP_SHA_1 names RSA-OAEP. A signing key allows
  // six algorithms and names none unless constrained to one: any choice would refuse the other five.
  jwkPreference: ['RSA-OAEP-256'],
  // e = 65537, as AWS KMS and every current profile (NIST SP 800-56B §6.2.1 allows 2^16 < e < 2^256).
  generate: async (spec) => {
    if (spec.modulusBits === undefined) throw new InternalError(`${spec.name} has no modulus length`);
    return encodePair(await generateKeyPairAsync('rsa', { modulusLength: spec.modulusBits, publicExponent: 0x10001 }));
  },
  checkImport: checkPrivateKey,
} as const satisfies KeyPairFamily;
