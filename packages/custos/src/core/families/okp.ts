// The OKP family (RFC 8037): Ed25519 signatures (RFC 8032) and X25519 agreement (RFC 7748), PKCS#8 keys
// (RFC 8410). Pure; must not import store, service or api.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { KeyPairFamily } from './key-family.js';
import { checkPrivateKey, encodePair } from './key-pair.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export const ED25519 = {
  name: 'okp',
  material: 'pkcs8',
  kty: 'OKP',
  crv: 'Ed25519',
  oid: '1.3.101.112',
  node: { keyType: 'ed25519' },
  fieldBytes: 32,
  // Ed25519 hashes inside the scheme (RFC 8032 §5.1): node signs it with a null digest.
  pairwise: { digest: null },
  serves: ['ED25519_SHA_512'],
  joseAlg: (_spec, algorithm) => (algorithm === 'ED25519_SHA_512' ? 'EdDSA' : undefined), // RFC 8037 §3.1
  generate: async () => encodePair(await generateKeyPairAsync('ed25519')),
  checkImport: checkPrivateKey,
} as const satisfies KeyPairFamily;

export const X25519 = {
  name: 'okp',
  material: 'pkcs8',
  kty: 'OKP',
  crv: 'X25519',
  oid: '1.3.101.110',
  node: { keyType: 'x25519' },
  fieldBytes: 32,
  // No signature to probe with; node recomputes the public key from the scalar, so the two cannot disagree.
  pairwise: 'recomputed',
  serves: ['ECDH'],
  joseAlg: (_spec, algorithm) => (algorithm === 'ECDH' ? 'ECDH-ES' : undefined), // RFC 8037 §3.2
  generate: async () => encodePair(await generateKeyPairAsync('x25519')),
  checkImport: checkPrivateKey,
} as const satisfies KeyPairFamily;
