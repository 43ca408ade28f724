// Key material for every spec: generation, import validation, the public key and the PEM export; each family's
// descriptor does the work. Material: AES/HMAC raw bytes; RSA/EC/OKP PKCS#8 DER; ML-DSA/ML-KEM the seed. Pure; no store, service or api.
import { createPublicKey } from 'node:crypto';
import { UnsupportedError } from '@custos/contract';
import type { GeneratedKey } from './families/key-family.js';
import { privateKeyObject } from './key-objects.js';
import type { KeySpecEntry } from './key-specs.js';
import { encodeSeedPkcs8, encodeSpki } from './pq/der.js';
import { PQ } from './pq/implementation.js';
import { exposeSecret, type SecretBytes } from './secret-bytes.js';

export type { GeneratedKey } from './families/key-family.js';
export { parsePublicKey, type PublicKeyInput } from './public-keys.js';
export { privateJwk, publicJwk } from './jwk.js';

/**
 * Generates fresh material for a spec (async: RSA generation is slow and must not block the loop).
 * @example const { material, publicKey } = await generateKeyMaterial(keySpec('ECC_NIST_P256'));
 */
export function generateKeyMaterial(spec: KeySpecEntry): Promise<GeneratedKey> {
  return spec.family.generate(spec);
}

/**
 * Checks imported material against the spec and returns it normalised: raw bytes of exactly keyBytes for
 * AES/HMAC, a PKCS#8 DER private key of exactly this spec's type/size/curve for the others (re-exported,
 * so the stored form is canonical, and pairwise-tested). ValidationError('INVALID_KEY_MATERIAL') otherwise.
 * @example const { material, publicKey } = validateImportedMaterial(keySpec('ECC_NIST_P256'), unwrapped);
 */
export function validateImportedMaterial(spec: KeySpecEntry, material: SecretBytes): GeneratedKey {
  return spec.family.checkImport(spec, material);
}

/** SPKI DER of an asymmetric private key (PKCS#8 DER); UnsupportedError for AES and HMAC. */
export function publicKeyOf(spec: KeySpecEntry, privateKey: SecretBytes): Uint8Array {
  const family = spec.family;
  if (family.material === 'raw') throw new UnsupportedError(`${spec.name} has no public key`);
  if (family.material === 'seed') return encodeSpki(family.pq, PQ.publicKey(family.pq, exposeSecret(privateKey)));
  return new Uint8Array(createPublicKey(privateKeyObject(spec, privateKey)).export({ type: 'spki', format: 'der' }));
}

/** PKCS#8 PEM of an asymmetric private key; UnsupportedError for AES and HMAC (export those as a JWK). */
export function privatePem(spec: KeySpecEntry, material: SecretBytes): string {
  const family = spec.family;
  if (family.material === 'raw') throw new UnsupportedError(`${spec.name} has no PEM form; export it as a JWK`);
  // The seed-only PKCS#8 form (RFC 9881 §6, RFC 9935 §6), which ImportKeyMaterial takes back.
  if (family.material === 'seed') {
    const der = encodeSeedPkcs8(family.pq, exposeSecret(material));
    const body = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
    der.fill(0);
    return `-----BEGIN PRIVATE KEY-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END PRIVATE KEY-----\n`;
  }
  return String(privateKeyObject(spec, material).export({ type: 'pkcs8', format: 'pem' }));
}
