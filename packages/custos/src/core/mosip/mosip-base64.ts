// MOSIP's base64 rules: output is base64url WITH `=` padding (Java's Base64.getUrlEncoder()), input is base64url or
// standard base64, url tried first (CryptomanagerUtils.decodeBase64Data). Pure; must not import store, service or api.

const URL_ALPHABET = /^[A-Za-z0-9_-]*={0,2}$/;
const STD_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/** base64url with padding, as MOSIP emits it. @example encodeMosipBase64(bytes) // 'AAE='  */
export function encodeMosipBase64(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
  return text + '='.repeat((4 - (text.length % 4)) % 4);
}

/**
 * Strict decoding of base64url or standard base64, padded or not; `null` for anything else (a stray character, a
 * length no encoding gives, padding in the middle). Node's own decoder skips bad characters silently.
 * @example decodeMosipBase64('AAE=') // Uint8Array [0, 1]
 */
export function decodeMosipBase64(text: string): Uint8Array | null {
  if (!URL_ALPHABET.test(text) && !STD_ALPHABET.test(text)) return null;
  const body = text.replace(/=+$/, '');
  const padding = text.length - body.length;
  if (body.length % 4 === 1 || (padding > 0 && text.length % 4 !== 0)) return null;
  const bytes = new Uint8Array(Buffer.from(body, 'base64'));
  // The unused low bits of the last character must be zero: anything else is not an encoding of these bytes.
  return encodeMosipBase64(bytes).replace(/=+$/, '') === body.replace(/\+/g, '-').replace(/\//g, '_') ? bytes : null;
}
