// ECDH on the NIST curves and X25519 (CRYPTO-PITFALLS 4, 8). Pure; no I/O.
import type { KeySpecEntry } from '../key-specs.js';
import type { SecretBytes } from '../secret-bytes.js';

/**
 * Raw shared secret (the x-coordinate / X25519 output), as AWS DeriveSharedSecret returns it.
 * `privateKey` is PKCS#8 DER; `peerPublicKey` is SPKI DER already checked by parsePublicKey for `spec`.
 * ValidationError('INVALID_PUBLIC_KEY') for a low-order or otherwise unusable peer key; never all zeros.
 */
export function ecdh(spec: KeySpecEntry, privateKey: SecretBytes, peerPublicKey: Uint8Array): SecretBytes {
  throw new Error('not implemented');
}
