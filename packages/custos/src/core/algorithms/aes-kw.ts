// AES Key Wrap (RFC 3394) and Key Wrap with Padding (RFC 5649) on node:crypto, with the length
// checks OpenSSL omits (CRYPTO-PITFALLS 3). Pure; no I/O. Must not import store, keystore, service or api.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { ValidationError } from '@custos/contract';
import { exposeSecret, SecretBytes } from '../secret-bytes.js';

type Mode = 'kw' | 'kwp';

// node:crypto wants the initial value passed as the IV: RFC 3394 §2.2.3.1 default IV for KW, and the
// 32-bit "alternative IV" constant of RFC 5649 §3 for KWP (OpenSSL appends the length indicator itself).
const DEFAULT_IV: Readonly<Record<Mode, Buffer>> = {
  kw: Buffer.from('a6a6a6a6a6a6a6a6', 'hex'),
  kwp: Buffer.from('a65959a6', 'hex'),
};

const CIPHERS: Readonly<Record<Mode, Readonly<Record<number, string>>>> = {
  kw: { 16: 'id-aes128-wrap', 24: 'id-aes192-wrap', 32: 'id-aes256-wrap' },
  kwp: { 16: 'id-aes128-wrap-pad', 24: 'id-aes192-wrap-pad', 32: 'id-aes256-wrap-pad' },
};

function cipherFor(mode: Mode, kek: SecretBytes): string {
  const name = CIPHERS[mode][kek.length];
  if (name === undefined)
    throw new ValidationError('key-encryption key must be 16, 24 or 32 bytes', 'INVALID_KEY_MATERIAL');
  return name;
}

function wrap(mode: Mode, kek: SecretBytes, key: SecretBytes): Uint8Array {
  const name = cipherFor(mode, kek);
  // RFC 3394 §2: KW wraps n >= 2 64-bit blocks; RFC 5649 §4.1: KWP wraps 1..2^32 bytes.
  if (mode === 'kw' ? key.length < 16 || key.length % 8 !== 0 : key.length < 1) {
    throw new ValidationError(
      `cannot wrap a key of ${key.length} bytes with AES-${mode.toUpperCase()}`,
      'INVALID_KEY_MATERIAL',
    );
  }
  const cipher = createCipheriv(name, exposeSecret(kek), DEFAULT_IV[mode]);
  return new Uint8Array(Buffer.concat([cipher.update(exposeSecret(key)), cipher.final()]));
}

function unwrap(mode: Mode, kek: SecretBytes, wrapped: Uint8Array): SecretBytes {
  const name = cipherFor(mode, kek);
  // OpenSSL "unwraps" an empty or short input into an empty key (CRYPTO-PITFALLS 3): the smallest
  // valid output is 3 blocks for KW (RFC 3394 §2.2.2) and 2 blocks for KWP (RFC 5649 §4.2).
  const min = mode === 'kw' ? 24 : 16;
  if (wrapped.length < min || wrapped.length % 8 !== 0) {
    throw new ValidationError('wrapped key has an invalid length', 'INVALID_KEY_MATERIAL');
  }
  let head: Buffer | undefined;
  try {
    const decipher = createDecipheriv(name, exposeSecret(kek), DEFAULT_IV[mode]);
    head = decipher.update(wrapped);
    const tail = decipher.final();
    const joined = tail.length === 0 ? head : Buffer.concat([head, tail]);
    const key = SecretBytes.from(joined); // own copy: a Buffer may be a slice of Node's shared pool
    for (const b of [joined, head, tail]) b.fill(0);
    return key;
  } catch (cause) {
    head?.fill(0);
    throw new ValidationError('wrapped key failed its integrity check', 'INVALID_KEY_MATERIAL', { cause });
  }
}

/** RFC 3394 AES-KW; the KEK length (16/24/32) chooses AES-128/192/256. @example aesKeyWrap(kek, dataKey) */
export function aesKeyWrap(kek: SecretBytes, key: SecretBytes): Uint8Array {
  return wrap('kw', kek, key);
}
/** Throws ValidationError('INVALID_KEY_MATERIAL') on bad length or integrity failure. @example aesKeyUnwrap(kek, wrapped) */
export function aesKeyUnwrap(kek: SecretBytes, wrapped: Uint8Array): SecretBytes {
  return unwrap('kw', kek, wrapped);
}
/** RFC 5649 AES-KWP: any key length from 1 byte. @example aesKeyWrapPad(kek, rsaPrivateKeyDer) */
export function aesKeyWrapPad(kek: SecretBytes, key: SecretBytes): Uint8Array {
  return wrap('kwp', kek, key);
}
/** Throws ValidationError('INVALID_KEY_MATERIAL') on bad length or integrity failure. @example aesKeyUnwrapPad(kek, wrapped) */
export function aesKeyUnwrapPad(kek: SecretBytes, wrapped: Uint8Array): SecretBytes {
  return unwrap('kwp', kek, wrapped);
}
