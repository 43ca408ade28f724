// Cryptography with key objects that stay in a Pkcs11Token: AES-256-GCM (CKM_AES_GCM, output ciphertext ‖ tag),
// signatures on a digest computed in Node (CKM_ECDSA → raw r ‖ s; CKM_RSA_PKCS_PSS; CKM_RSA_PKCS over the DigestInfo),
// RSA-OAEP decryption and HMAC. Every call is asynchronous, on a session of its own.
// Must not import store, service or api.
import { InternalError, InvalidCiphertextError, UnsupportedError } from '@custos/contract';
import type * as Pkcs11js from 'pkcs11js';
import type { Pkcs11Lib } from './module.js';
import type { Pkcs11Token } from './token.js';

export type TokenHash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** CKZ_DATA_SPECIFIED (PKCS#11 2.40 §2.1.8): OAEP's encoding parameter source; pkcs11js exports no constant. */
const CKZ_DATA_SPECIFIED = 1;

/** The DER DigestInfo prefix of each digest (RFC 8017 §9.2, note 1), for CKM_RSA_PKCS over a digest. */
const DIGEST_INFO: Readonly<Record<TokenHash, string>> = {
  sha1: '3021300906052b0e03021a05000414',
  sha224: '302d300d06096086480165030402040500041c',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

const DIGEST_BYTES: Readonly<Record<TokenHash, number>> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

function hashMechanism(lib: Pkcs11Lib, hash: TokenHash): { hashAlg: number; mgf: number } {
  switch (hash) {
    case 'sha1':
      return { hashAlg: lib.CKM_SHA_1, mgf: lib.CKG_MGF1_SHA1 };
    case 'sha224':
      return { hashAlg: lib.CKM_SHA224, mgf: lib.CKG_MGF1_SHA224 };
    case 'sha256':
      return { hashAlg: lib.CKM_SHA256, mgf: lib.CKG_MGF1_SHA256 };
    case 'sha384':
      return { hashAlg: lib.CKM_SHA384, mgf: lib.CKG_MGF1_SHA384 };
    case 'sha512':
      return { hashAlg: lib.CKM_SHA512, mgf: lib.CKG_MGF1_SHA512 };
  }
}

function hmacMechanism(lib: Pkcs11Lib, hash: TokenHash): number {
  switch (hash) {
    case 'sha1':
      return lib.CKM_SHA_1_HMAC;
    case 'sha224':
      return lib.CKM_SHA224_HMAC;
    case 'sha256':
      return lib.CKM_SHA256_HMAC;
    case 'sha384':
      return lib.CKM_SHA384_HMAC;
    case 'sha512':
      return lib.CKM_SHA512_HMAC;
  }
}

function gcm(lib: Pkcs11Lib, iv: Uint8Array, aad: Uint8Array): Pkcs11js.Mechanism {
  const parameter: Pkcs11js.AesGCM = {
    type: lib.CK_PARAMS_AES_GCM_v240,
    iv: Buffer.from(iv),
    aad: Buffer.from(aad),
    ivBits: IV_BYTES * 8,
    tagBits: TAG_BYTES * 8,
  };
  return { mechanism: lib.CKM_AES_GCM, parameter };
}

/** The error for a key object that is not in the token (destroyed outside Custos): INTERNAL, naming the object. */
function missing(token: Pkcs11Token, id: string): () => Error {
  return () =>
    new InternalError(
      `the key object ${id} is missing from the PKCS#11 token '${token.tokenLabel}' (destroyed outside Custos?)`,
    );
}

/** AES-256-GCM encryption in the token with a caller-chosen 96-bit IV; returns ciphertext and tag apart. */
export async function tokenGcmEncrypt(
  token: Pkcs11Token,
  id: string,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<{ ciphertext: Uint8Array; tag: Uint8Array }> {
  if (iv.length !== IV_BYTES) throw new InternalError('AES-GCM needs a 96-bit IV');
  const sealed = await token.withKey(
    id,
    'secret',
    'C_Encrypt',
    missing(token, id),
    async ({ lib, p11, session }, key) => {
      p11.C_EncryptInit(session, gcm(lib, iv, aad), key);
      return p11.C_EncryptAsync(session, Buffer.from(plaintext), Buffer.alloc(plaintext.length + TAG_BYTES));
    },
  );
  if (sealed.length !== plaintext.length + TAG_BYTES)
    throw new InternalError('PKCS#11 C_Encrypt returned a bad length');
  return { ciphertext: sealed.subarray(0, plaintext.length), tag: sealed.subarray(plaintext.length) };
}

/** AES-256-GCM decryption in the token. A wrong tag, IV or AAD → INVALID_CIPHERTEXT. */
export async function tokenGcmDecrypt(
  token: Pkcs11Token,
  id: string,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new InvalidCiphertextError();
  const sealed = Buffer.concat([ciphertext, tag]);
  return token.withKey(id, 'secret', 'C_Decrypt', missing(token, id), async ({ lib, p11, session }, key) => {
    p11.C_DecryptInit(session, gcm(lib, iv, aad), key);
    try {
      return new Uint8Array(await p11.C_DecryptAsync(session, sealed, Buffer.alloc(sealed.length)));
    } catch (err) {
      // SoftHSM2 answers a tag mismatch with CKR_GENERAL_ERROR (others with CKR_ENCRYPTED_DATA_INVALID); the key
      // handle was good a moment ago (C_DecryptInit took it), so this is the ciphertext, not the token.
      if (/^CKR_(ENCRYPTED_DATA_INVALID|ENCRYPTED_DATA_LEN_RANGE|GENERAL_ERROR)/.test((err as Error).message))
        throw new InvalidCiphertextError();
      throw err;
    }
  });
}

/** How a digest is signed. */
export type TokenSignature =
  | { readonly scheme: 'ecdsa' }
  | { readonly scheme: 'pss'; readonly hash: TokenHash }
  | { readonly scheme: 'pkcs1'; readonly hash: TokenHash };

/**
 * Signs `digest` (computed by the caller) with the private key `id`: ECDSA → raw r ‖ s (IEEE P1363), RSA-PSS with
 * MGF1 of the same hash and salt = digest length, RSA PKCS#1 v1.5 over DigestInfo(digest).
 */
export async function tokenSignDigest(
  token: Pkcs11Token,
  id: string,
  how: TokenSignature,
  digest: Uint8Array,
): Promise<Uint8Array> {
  return token.withKey(id, 'private', 'C_Sign', missing(token, id), async ({ lib, p11, session }, key) => {
    let mechanism: Pkcs11js.Mechanism;
    let data = Buffer.from(digest);
    if (how.scheme === 'ecdsa') mechanism = { mechanism: lib.CKM_ECDSA };
    else if (how.scheme === 'pss') {
      const parameter: Pkcs11js.RsaPSS = {
        type: lib.CK_PARAMS_RSA_PSS,
        ...hashMechanism(lib, how.hash),
        saltLen: DIGEST_BYTES[how.hash],
      };
      mechanism = { mechanism: lib.CKM_RSA_PKCS_PSS, parameter };
    } else {
      mechanism = { mechanism: lib.CKM_RSA_PKCS };
      data = Buffer.concat([Buffer.from(DIGEST_INFO[how.hash], 'hex'), data]);
    }
    p11.C_SignInit(session, mechanism, key);
    return new Uint8Array(await p11.C_SignAsync(session, data, Buffer.alloc(1024)));
  });
}

/** RSA-OAEP decryption (MGF1 of the same hash, empty label). A ciphertext that does not decrypt → INVALID_CIPHERTEXT. */
export async function tokenOaepDecrypt(
  token: Pkcs11Token,
  id: string,
  hash: 'sha1' | 'sha256',
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  return token.withKey(id, 'private', 'C_Decrypt', missing(token, id), async ({ lib, p11, session }, key) => {
    const parameter: Pkcs11js.RsaOAEP = {
      type: lib.CK_PARAMS_RSA_OAEP,
      ...hashMechanism(lib, hash),
      source: CKZ_DATA_SPECIFIED,
    };
    try {
      p11.C_DecryptInit(session, { mechanism: lib.CKM_RSA_PKCS_OAEP, parameter }, key);
    } catch (err) {
      // SoftHSM2 2.6 does OAEP with SHA-1 only, and says so with CKR_ARGUMENTS_BAD.
      if (/^CKR_(ARGUMENTS_BAD|MECHANISM_PARAM_INVALID|MECHANISM_INVALID)/.test((err as Error).message))
        throw new UnsupportedError(`the PKCS#11 token '${token.tokenLabel}' cannot do RSA-OAEP with ${hash}`);
      throw err;
    }
    try {
      return new Uint8Array(await p11.C_DecryptAsync(session, Buffer.from(ciphertext), Buffer.alloc(1024)));
    } catch (err) {
      if (
        /^CKR_(ENCRYPTED_DATA_INVALID|ENCRYPTED_DATA_LEN_RANGE|DATA_LEN_RANGE|GENERAL_ERROR)/.test(
          (err as Error).message,
        )
      )
        throw new InvalidCiphertextError();
      throw err;
    }
  });
}

/** HMAC of `message` with the generic secret `id`. */
export async function tokenHmac(
  token: Pkcs11Token,
  id: string,
  hash: TokenHash,
  message: Uint8Array,
): Promise<Uint8Array> {
  return token.withKey(id, 'secret', 'C_Sign', missing(token, id), async ({ lib, p11, session }, key) => {
    p11.C_SignInit(session, { mechanism: hmacMechanism(lib, hash) }, key);
    return new Uint8Array(await p11.C_SignAsync(session, Buffer.from(message), Buffer.alloc(DIGEST_BYTES[hash])));
  });
}

/**
 * Whether the token does RSA-OAEP with `hash` for the private key `id` (C_DecryptInit accepts the parameters; the
 * operation it starts is ended at once with a one-byte input, which fails).
 */
export async function tokenCanOaep(token: Pkcs11Token, id: string, hash: 'sha1' | 'sha256'): Promise<boolean> {
  return token.withKey(id, 'private', 'C_DecryptInit', missing(token, id), async ({ lib, p11, session }, key) => {
    const parameter: Pkcs11js.RsaOAEP = {
      type: lib.CK_PARAMS_RSA_OAEP,
      ...hashMechanism(lib, hash),
      source: CKZ_DATA_SPECIFIED,
    };
    try {
      p11.C_DecryptInit(session, { mechanism: lib.CKM_RSA_PKCS_OAEP, parameter }, key);
    } catch (err) {
      if (/^CKR_(ARGUMENTS_BAD|MECHANISM_PARAM_INVALID|MECHANISM_INVALID)/.test((err as Error).message)) return false;
      throw err;
    }
    await p11.C_DecryptAsync(session, Buffer.alloc(1), Buffer.alloc(1024)).catch(() => undefined);
    return true;
  });
}
