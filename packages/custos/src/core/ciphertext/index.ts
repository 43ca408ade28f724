// The symmetric ciphertext blob (self-describing: format byte, key id, version, algorithm, IV, ct, tag)
// and the canonical encoding of encryption contexts. Pure; no I/O. A released format is never edited.

export interface CiphertextV1 {
  readonly keyId: string; // UUID
  readonly version: number; // key version, >= 1
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/** Encodes a blob in format 1. */
export function encodeCiphertext(blob: CiphertextV1): Uint8Array {
  throw new Error('not implemented');
}

/** Decodes any known format; throws InvalidCiphertextError for anything malformed or unknown. */
export function decodeCiphertext(bytes: Uint8Array): CiphertextV1 {
  throw new Error('not implemented');
}

/** The additional data for the blob's GCM: its header (everything before the IV) followed by the context. */
export function ciphertextAad(blob: Pick<CiphertextV1, 'keyId' | 'version'>, encryptionContext: Record<string, string> | undefined): Uint8Array {
  throw new Error('not implemented');
}

/** Canonical, unambiguous encoding of an encryption context (sorted keys, length-prefixed UTF-8). */
export function encodeEncryptionContext(context: Record<string, string> | undefined): Uint8Array {
  throw new Error('not implemented');
}
