// Byte results handed out of core: over a buffer of their own, never a slice of Node's shared Buffer pool (which
// also holds other requests' data, and travels with a view's `.buffer`). Pure; must not import store, service or api.

/** `bytes` as a plain Uint8Array over a buffer of its own: a view when it already owns one, else a copy. */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? new Uint8Array(bytes.buffer, 0, bytes.byteLength)
    : new Uint8Array(bytes);
}
