// Ed25519 (RFC 8032 §5.1, pure EdDSA) on node:crypto. RAW only: AWS KMS ED25519_SHA_512 hashes inside the
// scheme, so there is no prehashed form (Ed25519ph is a different algorithm). Pure; no store, service or api.
import { sign, verify } from 'node:crypto';
import type { SignatureScheme } from './signature-scheme.js';

export const ed25519: SignatureScheme = {
  signRaw: (_hash, key, message) => sign(null, message, key),
  verifyRaw: (_hash, key, message, signature) => {
    try {
      return verify(null, message, key, signature);
    } catch {
      return false;
    }
  },
};
