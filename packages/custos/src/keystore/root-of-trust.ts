// The root of trust: wraps and unwraps key material under a root key that never leaves the provider, and derives
// the keys that authenticate what the database holds. Must not import store, service or api.
import type { SecretBytes } from '../core/secret-bytes.js';

/**
 * What a key derived from the root of trust is for. One purpose, one key: a key is never used for two of them.
 * - `row-integrity`: HMAC of every stored row that governs access (keys, versions, aliases, credentials).
 * - `token-hash`: the keyed hash under which API tokens are stored and looked up.
 * - `audit-chain`: the HMAC linking each audit record to the one before.
 * - `audit-signing`: the seed of the Ed25519 key that signs audit checkpoints.
 * - `audit-receipt`: the HMAC of the receipts handed to callers.
 * - `attestation-signing`: the seed of the ECDSA P-256 attestation key (file, passphrase and Shamir roots; a PKCS#11
 *   root keeps that key in its token instead).
 */
export type DerivedKeyPurpose =
  'row-integrity' | 'token-hash' | 'audit-chain' | 'audit-signing' | 'audit-receipt' | 'attestation-signing';

export interface RootOfTrust {
  /** A stable, non-secret identifier of the root key (e.g. HMAC of a fixed label), to detect a different root key. */
  readonly keyCheckValue: string;
  /** AES-256-GCM under the root key with `aad` authenticated; output is self-describing (format byte, iv, ct, tag). */
  wrap(material: SecretBytes, aad: Uint8Array): Promise<Uint8Array>;
  /** Inverse of wrap; InternalError (never the material) if the blob or aad do not match. */
  unwrap(wrapped: Uint8Array, aad: Uint8Array): Promise<SecretBytes>;
  /**
   * A 256-bit key for `purpose`, the same for the same root key on every node and every start (file roots:
   * HKDF-SHA-256 of the root key). The caller owns the result and wipes it when done.
   */
  deriveKey(purpose: DerivedKeyPurpose): Promise<SecretBytes>;
  close(): Promise<void>;
}
