// UUIDs ⇄ their 16 bytes, for the binary formats that carry ids (ciphertext blobs, import tokens). Pure; no I/O.
// Must not import store, keystore, service or api.
import { InternalError } from '@custos/contract';

const UUID_BYTES = 16;
const HEX_UUID_DASHES = [8, 13, 18, 23];
/** Ids (not secret) → their 16 bytes: the hot path encodes a header per encryption, for a handful of keys. */
const keyIdBytes = new Map<string, Uint8Array>();
const MAX_CACHED_KEY_IDS = 10_000;

/**
 * A UUID's 16 bytes (RFC 9562 §4 order), shared from a cache: copy them out, never modify them. InternalError for
 * anything else (the ids encoded are ours, so a bad one is a bug, not a caller's mistake).
 */
export function uuidToBytes(keyId: string): Uint8Array {
  let bytes = keyIdBytes.get(keyId);
  if (bytes) return bytes;
  if (keyId.length !== 36 || HEX_UUID_DASHES.some((i) => keyId[i] !== '-')) throw new InternalError('id must be a UUID');
  // Buffer's hex decoder stops at the first pair that is not hex, so a short result means a bad id.
  bytes = new Uint8Array(Buffer.from(keyId.slice(0, 8) + keyId.slice(9, 13) + keyId.slice(14, 18) + keyId.slice(19, 23) + keyId.slice(24), 'hex'));
  if (bytes.length !== UUID_BYTES) throw new InternalError('id must be a UUID');
  if (keyIdBytes.size >= MAX_CACHED_KEY_IDS) keyIdBytes.clear();
  keyIdBytes.set(keyId, bytes);
  return bytes;
}

/** 16 bytes as a lower-case UUID string. */
export function bytesToUuid(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
