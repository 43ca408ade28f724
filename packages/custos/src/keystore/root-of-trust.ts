// The root of trust: wraps and unwraps key material under a root key that never leaves the provider.
// Must not import store, service or api.
import type { SecretBytes } from '../core/secret-bytes.js';

export interface RootOfTrust {
  /** A stable, non-secret identifier of the root key (e.g. HMAC of a fixed label), to detect a different root key. */
  readonly keyCheckValue: string;
  /** AES-256-GCM under the root key with `aad` authenticated; output is self-describing (format byte, iv, ct, tag). */
  wrap(material: SecretBytes, aad: Uint8Array): Promise<Uint8Array>;
  /** Inverse of wrap; InternalError (never the material) if the blob or aad do not match. */
  unwrap(wrapped: Uint8Array, aad: Uint8Array): Promise<SecretBytes>;
  close(): Promise<void>;
}
