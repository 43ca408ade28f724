// What every key-pair family (RSA, EC, OKP) shares: PKCS#8/SPKI encoding of a generated pair, the spec match of a
// parsed key, and the import checks. Reads the descriptor's fields; pure; must not import store, service or api.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ValidationError } from '@custos/contract';
import { exposeSecret, SecretBytes } from '../secret-bytes.js';
import type { GeneratedKey, KeyFamily, SpecParameters } from './key-family.js';

/** Copies node's DER buffer into SecretBytes and zeroes node's copy. */
function adoptPrivateDer(der: Buffer): SecretBytes {
  const secret = SecretBytes.from(der);
  der.fill(0);
  return secret;
}

/** PKCS#8 DER material and SPKI DER public key of a key pair. */
export function encodePair(pair: { publicKey: KeyObject; privateKey: KeyObject }): GeneratedKey {
  return {
    material: adoptPrivateDer(pair.privateKey.export({ type: 'pkcs8', format: 'der' })),
    publicKey: new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })),
  };
}

/** True when a parsed key has exactly the type, curve and modulus size of `spec` (never e.g. 'rsa-pss' for RSA). */
export function keyMatchesSpec(spec: SpecParameters, key: KeyObject): boolean {
  const family: KeyFamily = spec.family;
  if (family.material !== 'pkcs8' || key.asymmetricKeyType !== family.node.keyType) return false;
  const details = key.asymmetricKeyDetails ?? {};
  return (
    (family.node.namedCurve === undefined || details.namedCurve === family.node.namedCurve) &&
    (spec.modulusBits === undefined || details.modulusLength === spec.modulusBits)
  );
}

const invalidMaterial = (why: string) =>
  new ValidationError(`imported key material is not valid for the key spec: ${why}`, 'INVALID_KEY_MATERIAL');

/**
 * Checks imported PKCS#8 DER is exactly this spec's type, size and curve, and returns it canonical (re-exported),
 * with its public key. ValidationError('INVALID_KEY_MATERIAL') otherwise.
 */
export function checkPrivateKey(spec: SpecParameters, material: SecretBytes): GeneratedKey {
  let parsed: KeyObject;
  try {
    parsed = createPrivateKey({ key: Buffer.from(exposeSecret(material)), format: 'der', type: 'pkcs8' });
  } catch {
    throw invalidMaterial('not a PKCS#8 DER private key');
  }
  if (!keyMatchesSpec(spec, parsed)) throw invalidMaterial(`not a ${spec.name} private key`);
  // Canonical form: rebuild from the JWK fields, which names the curve (drops explicit EC parameters and
  // any optional PKCS#8 attributes) and makes node check the public point lies on the curve.
  let canonical: KeyObject;
  try {
    canonical = createPrivateKey({ key: parsed.export({ format: 'jwk' }), format: 'jwk' });
  } catch {
    throw invalidMaterial('private key fields are inconsistent');
  }
  const publicKey = createPublicKey(canonical);
  if (!pairwiseConsistent(spec.family, canonical, publicKey))
    throw invalidMaterial('public key does not match private key');
  return encodePair({ privateKey: canonical, publicKey });
}

/** A PKCS#8 EC key may carry a public point unrelated to its scalar, and OpenSSL does not check it on load. */
function pairwiseConsistent(family: KeyFamily, privateKey: KeyObject, publicKey: KeyObject): boolean {
  if (family.material !== 'pkcs8') return false;
  if (family.pairwise === 'recomputed') return true;
  const probe = Buffer.from('custos pairwise consistency test');
  const { digest } = family.pairwise;
  try {
    return verify(digest, probe, publicKey, sign(digest, probe, privateKey));
  } catch {
    return false;
  }
}
