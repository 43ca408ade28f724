// UUIDs ⇄ their 16 bytes, for the binary formats that carry ids (ciphertext blobs, import tokens). Pure; no I/O.
// Must not import store, keystore, service or api.
import { InternalError } from '@custos/contract';

export const UUID_BYTES = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID in its 36-character text form (any case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Ids (not secret) → their 16 bytes: the hot path writes a blob header per encryption, for a handful of keys. The
 * arrays never leave this module (writeUuid copies them out), so no caller can change another's bytes.
 */
const idBytes = new Map<string, Uint8Array>();
const MAX_CACHED_IDS = 10_000;

/**
 * Writes a UUID's 16 bytes (RFC 9562 §4 order) into `out` at `offset`. InternalError for anything else (the ids
 * encoded are ours, so a bad one is a bug, not a caller's mistake).
 */
export function writeUuid(out: Uint8Array, offset: number, id: string): void {
  let bytes = idBytes.get(id);
  if (!bytes) {
    if (!isUuid(id)) throw new InternalError('id must be a UUID');
    bytes = new Uint8Array(Buffer.from(id.replaceAll('-', ''), 'hex'));
    if (idBytes.size >= MAX_CACHED_IDS) idBytes.clear();
    idBytes.set(id, bytes);
  }
  out.set(bytes, offset);
}

/** 16 bytes as a lower-case UUID string; InternalError for any other length (callers slice exactly 16). */
export function bytesToUuid(bytes: Uint8Array): string {
  if (bytes.length !== UUID_BYTES) throw new InternalError(`a UUID is ${UUID_BYTES} bytes, not ${bytes.length}`);
  const h = Buffer.from(bytes.buffer, bytes.byteOffset, UUID_BYTES).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
