// Development mode's deterministic keys (custos server --dev --dev-seed): key ids and key material derived by HKDF
// (RFC 5869) from the seed, so one seed gives the same keys run after run. NEVER for production: anyone who knows the
// seed has every key. Pure; must not import store, service or api.
import { createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto';
import forge from 'node-forge';
import { InternalError } from '@custos/contract';
import type { GeneratedKey, KeyPairFamily } from '../families/key-family.js';
import { checkPrivateKey, encodePair } from '../families/key-pair.js';
import { withPublicKey } from '../families/pq.js';
import type { KeySpecEntry } from '../key-specs.js';
import { SecretBytes } from '../secret-bytes.js';

const SALT = 'custos development mode';

/** `length` bytes of HKDF-SHA-256 from the seed, for `info` (each use names its own info: domain separation). */
function devBytes(seed: Uint8Array, info: string, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', seed, SALT, info, length));
}

/** The n-th key id a store made with this seed creates: a version 4 UUID (RFC 9562 §5.4) from HKDF output. */
export function devKeyId(seed: Uint8Array, n: number): string {
  const b = devBytes(seed, `key-id/${String(n)}`, 16);
  b.set([((b[6] ?? 0) & 0x0f) | 0x40], 6);
  b.set([((b[8] ?? 0) & 0x3f) | 0x80], 8);
  const hex = Buffer.from(b).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** PKCS#8 DER prefixes of a 32-byte OKP private key (RFC 8410 §7), by node key type. */
const OKP_PKCS8_PREFIX: Record<string, string> = {
  ed25519: '302e020100300506032b657004220420',
  x25519: '302e020100300506032b656e04220420',
};

/**
 * The material of version `version` of key `keyId`, derived from the seed: AES/HMAC bytes directly; an EC scalar
 * reduced into [1, n-1] from 16 extra bytes (FIPS 186-5 A.4.1's method); an OKP private key as its 32-byte seed;
 * RSA by node-forge's prime search driven by an HKDF stream instead of its CSPRNG (node:crypto takes no seed).
 * @example const { material } = await deriveKeyMaterial(keySpec('AES_256'), seed, keyId, 1);
 */
export async function deriveKeyMaterial(
  spec: KeySpecEntry,
  seed: Uint8Array,
  keyId: string,
  version: number,
): Promise<GeneratedKey> {
  const info = `key-material/${keyId}/${String(version)}`;
  const family = spec.family;
  if (family.material === 'raw') {
    if (spec.keyBytes === undefined) throw new InternalError(`${spec.name} has no raw key length`);
    const bytes = devBytes(seed, info, spec.keyBytes);
    const material = SecretBytes.from(bytes);
    bytes.fill(0);
    return { material };
  }
  if (family.material === 'seed') {
    // ML-DSA, ML-KEM: the stored material is the FIPS 204/203 seed itself, so the derived bytes are the key.
    const bytes = devBytes(seed, info, family.pq.seedBytes);
    const key = withPublicKey(family.pq, SecretBytes.from(bytes));
    bytes.fill(0);
    return key;
  }
  switch (family.node.keyType) {
    case 'ec':
      return ecKey(spec, family, devBytes(seed, info, (family.fieldBytes ?? 32) + 16));
    case 'ed25519':
    case 'x25519':
      return okpKey(spec, family, devBytes(seed, info, 32));
    case 'rsa':
      return rsaKey(spec, seed, info);
    default:
      // A family this module does not know yet (e.g. a new algorithm): random material, as outside development mode.
      return spec.family.generate(spec);
  }
}

function ecKey(spec: KeySpecEntry, family: KeyPairFamily, bytes: Uint8Array): GeneratedKey {
  const curve = family.ecdsa?.noble;
  if (!curve || family.crv === undefined) throw new InternalError(`${spec.name} has no curve arithmetic`);
  const order = curve.Point.Fn.ORDER;
  const d = (BigInt(`0x${Buffer.from(bytes).toString('hex')}`) % (order - 1n)) + 1n;
  const size = family.fieldBytes ?? 32;
  const dBytes = Buffer.from(d.toString(16).padStart(size * 2, '0'), 'hex');
  const point = curve.getPublicKey(dBytes, false); // 0x04 || x || y
  const jwk = {
    kty: 'EC',
    crv: family.crv,
    d: dBytes.toString('base64url'),
    x: Buffer.from(point.subarray(1, 1 + size)).toString('base64url'),
    y: Buffer.from(point.subarray(1 + size)).toString('base64url'),
  };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  dBytes.fill(0);
  return checkPrivateKey(spec, SecretBytes.from(privateKey.export({ type: 'pkcs8', format: 'der' })));
}

function okpKey(spec: KeySpecEntry, family: KeyPairFamily, raw: Uint8Array): GeneratedKey {
  const prefix = OKP_PKCS8_PREFIX[family.node.keyType];
  if (prefix === undefined) throw new InternalError(`${spec.name} has no PKCS#8 prefix`);
  const der = Buffer.concat([Buffer.from(prefix, 'hex'), raw]);
  raw.fill(0);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  return encodePair({ privateKey, publicKey: createPublicKey(privateKey) });
}

async function rsaKey(spec: KeySpecEntry, seed: Uint8Array, info: string): Promise<GeneratedKey> {
  if (spec.modulusBits === undefined) throw new InternalError(`${spec.name} has no modulus length`);
  // forge's documented seeded PRNG: a Fortuna instance whose only entropy source is seedFileSync.
  let block = 0;
  const prng = forge.random.createInstance();
  prng.seedFileSync = (needed: number) =>
    Buffer.from(devBytes(seed, `${info}/rsa/${String(block++)}`, needed)).toString('binary');
  const pair = await new Promise<forge.pki.rsa.KeyPair>((resolve, reject) => {
    forge.pki.rsa.generateKeyPair({ bits: spec.modulusBits, e: 0x10001, prng, workers: -1 }, (err, keys) => {
      // forge's types say an Error, but it passes null on success.
      if (err instanceof Error) reject(err);
      else resolve(keys);
    });
  });
  const asn1 = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(pair.privateKey));
  const der = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  const out = checkPrivateKey(spec, SecretBytes.from(der));
  der.fill(0);
  return out;
}
