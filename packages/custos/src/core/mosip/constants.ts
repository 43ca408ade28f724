// The constants of MOSIP 1.2's hybrid (RSA-OAEP + AES-256-GCM) byte format, as mosip/keymanager's CryptomanagerConstant
// and application properties fix them. Pure; must not import store, keystore, service or api.

/** `VERSION_RSA_2048 = "VER_R2".getBytes()`: the header of layout (a), 6 ASCII bytes. */
export const VER_R2 = new Uint8Array(Buffer.from('VER_R2', 'ascii'));
/** `mosip.kernel.data-key-splitter`: 14 ASCII bytes between the key part and the data part. */
export const KEY_SPLITTER = new Uint8Array(Buffer.from('#KEY_SPLITTER#', 'ascii'));
/** `THUMBPRINT_LENGTH`: SHA-256 of the certificate's DER. */
export const THUMBPRINT_BYTES = 32;
/** `ENCRYPTED_SESSION_KEY_LENGTH`: RSA-2048 OAEP output. */
export const ENCRYPTED_SESSION_KEY_BYTES = 256;
/** `GCM_AAD_LENGTH`: the random A of layout (a), whose first `GCM_NONCE_LENGTH` bytes are the nonce. */
export const GCM_AAD_BYTES = 32;
export const GCM_NONCE_BYTES = 12;
/** Layout (b): the IV is `cipher.getBlockSize()` = 16 bytes, appended after the tag. */
export const BLOCK_IV_BYTES = 16;
/** `mosip.kernel.crypto.gcm-tag-length=128`. */
export const GCM_TAG_BYTES = 16;
/** `keygenerator.symmetric-key-length=256`. */
export const SESSION_KEY_BYTES = 32;
/** A salt is the GCM IV of layout (c): we take 12 to 64 bytes (MOSIP clients send 12 or 16). */
export const SALT_MIN_BYTES = 12;
export const SALT_MAX_BYTES = 64;
