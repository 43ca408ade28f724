// ECDH on the NIST curves and X25519 (CRYPTO-PITFALLS 4, 8), as AWS KMS DeriveSharedSecret. Pure; no I/O;
// must not import store, service or api.
import { diffieHellman } from 'node:crypto';
import { ValidationError } from '@custos/contract';
import { privateKeyObject, publicKeyObject } from '../key-objects.js';
import type { KeySpecEntry } from '../key-specs.js';
import { parsePublicKey } from '../key-material.js';
import { SecretBytes } from '../secret-bytes.js';

const unusablePeer = () =>
  new ValidationError('the peer public key cannot be used for key agreement', 'INVALID_PUBLIC_KEY');

/**
 * Raw shared secret (the x-coordinate / X25519 output), as AWS DeriveSharedSecret returns it.
 * `privateKey` is PKCS#8 DER; `peerPublicKey` is SPKI DER already checked by parsePublicKey for `spec`.
 * ValidationError('INVALID_PUBLIC_KEY') for a low-order or otherwise unusable peer key; never all zeros.
 * @example const z = ecdh(keySpec('X25519'), material, parsePublicKey(keySpec('X25519'), peerPem));
 */
export function ecdh(spec: KeySpecEntry, privateKey: SecretBytes, peerPublicKey: Uint8Array): SecretBytes {
  if (!spec.agreement.includes('ECDH'))
    throw new ValidationError(`${spec.name} does not support ECDH`, 'INVALID_KEY_USAGE');
  // Checked again here (cheap) so that no caller can skip the explicit-parameters check (CRYPTO-PITFALLS 4).
  const peer = publicKeyObject(spec, parsePublicKey(spec, peerPublicKey));
  const own = privateKeyObject(spec, privateKey);
  let shared: Buffer;
  try {
    // OpenSSL rejects points off the curve (SP 800-56A §5.6.2.3.4) and, for X25519, a low-order peer
    // (RFC 7748 §6.1 "check for all-zero value") by throwing.
    shared = diffieHellman({ privateKey: own, publicKey: peer });
  } catch {
    throw unusablePeer();
  }
  const secret = SecretBytes.from(shared);
  const allZero = shared.every((b) => b === 0);
  shared.fill(0);
  if (allZero) {
    secret.wipe();
    throw unusablePeer();
  }
  return secret;
}
