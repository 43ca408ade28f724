// Key objects made inside a Pkcs11Token for HSM-protected keys: generation (AES, HMAC generic secret, EC P-256/P-384
// and RSA pairs), every object token-resident, sensitive and never extractable, found again by a random CKA_ID; the
// public key as SPKI DER; destruction. Must not import store, service or api.
import { createPublicKey, randomBytes } from 'node:crypto';
import { InternalError } from '@custos/contract';
import type * as Pkcs11js from 'pkcs11js';
import type { Pkcs11Lib } from './module.js';
import type { Pkcs11Token, TokenCall } from './token.js';

/** What to generate. */
export type TokenKeyKind =
  | { readonly type: 'aes'; readonly bytes: 32 }
  | { readonly type: 'hmac'; readonly bytes: number }
  | { readonly type: 'ec'; readonly curve: 'P-256' | 'P-384' }
  | { readonly type: 'rsa'; readonly bits: 2048 | 3072 | 4096 };

/** A generated key: its CKA_ID (hex; the pair's two halves share it) and, for a pair, the public key as SPKI DER. */
export interface TokenKey {
  readonly id: string;
  readonly publicKey: Uint8Array | null;
}

/** DER of each curve's OID, the CKA_EC_PARAMS of a named curve (RFC 5480 §2.1.1.1). */
const EC_PARAMS = {
  'P-256': Buffer.from('06082a8648ce3d030107', 'hex'),
  'P-384': Buffer.from('06052b81040022', 'hex'),
} as const;

/** The attributes every private or secret object gets: in the token, private, sensitive, never extractable. */
function protectedAttrs(lib: Pkcs11Lib, id: Buffer, label: string): Pkcs11js.Template {
  return [
    { type: lib.CKA_TOKEN, value: true },
    { type: lib.CKA_PRIVATE, value: true },
    { type: lib.CKA_SENSITIVE, value: true },
    { type: lib.CKA_EXTRACTABLE, value: false },
    { type: lib.CKA_MODIFIABLE, value: false },
    { type: lib.CKA_DERIVE, value: false },
    { type: lib.CKA_UNWRAP, value: false },
    { type: lib.CKA_ID, value: id },
    { type: lib.CKA_LABEL, value: label },
  ];
}

async function generateSecret(
  { lib, p11, session }: TokenCall,
  kind: Extract<TokenKeyKind, { type: 'aes' | 'hmac' }>,
  id: Buffer,
  label: string,
): Promise<void> {
  const aes = kind.type === 'aes';
  await p11.C_GenerateKeyAsync(session, { mechanism: aes ? lib.CKM_AES_KEY_GEN : lib.CKM_GENERIC_SECRET_KEY_GEN }, [
    { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
    { type: lib.CKA_KEY_TYPE, value: aes ? lib.CKK_AES : lib.CKK_GENERIC_SECRET },
    { type: lib.CKA_VALUE_LEN, value: kind.bytes },
    { type: lib.CKA_ENCRYPT, value: aes },
    { type: lib.CKA_DECRYPT, value: aes },
    { type: lib.CKA_SIGN, value: !aes },
    { type: lib.CKA_VERIFY, value: !aes },
    { type: lib.CKA_WRAP, value: false },
    ...protectedAttrs(lib, id, label),
  ]);
}

async function generatePair(
  { lib, p11, session }: TokenCall,
  kind: Extract<TokenKeyKind, { type: 'ec' | 'rsa' }>,
  id: Buffer,
  label: string,
): Promise<Uint8Array> {
  const ec = kind.type === 'ec';
  const publicTemplate: Pkcs11js.Template = [
    { type: lib.CKA_CLASS, value: lib.CKO_PUBLIC_KEY },
    { type: lib.CKA_TOKEN, value: true },
    { type: lib.CKA_PRIVATE, value: false },
    { type: lib.CKA_VERIFY, value: true },
    { type: lib.CKA_ENCRYPT, value: !ec },
    { type: lib.CKA_WRAP, value: false },
    { type: lib.CKA_ID, value: id },
    { type: lib.CKA_LABEL, value: label },
    ...(kind.type === 'ec'
      ? [{ type: lib.CKA_EC_PARAMS, value: EC_PARAMS[kind.curve] }]
      : [
          { type: lib.CKA_MODULUS_BITS, value: kind.bits },
          { type: lib.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
        ]),
  ];
  const privateTemplate: Pkcs11js.Template = [
    { type: lib.CKA_CLASS, value: lib.CKO_PRIVATE_KEY },
    { type: lib.CKA_SIGN, value: true },
    { type: lib.CKA_DECRYPT, value: !ec },
    ...protectedAttrs(lib, id, label),
  ];
  const mechanism = { mechanism: ec ? lib.CKM_EC_KEY_PAIR_GEN : lib.CKM_RSA_PKCS_KEY_PAIR_GEN };
  const pair = await p11.C_GenerateKeyPairAsync(session, mechanism, publicTemplate, privateTemplate);
  return kind.type === 'ec'
    ? ecSpki(lib, p11, session, pair.publicKey, kind.curve)
    : rsaSpki(lib, p11, session, pair.publicKey);
}

/** SPKI DER from CKA_EC_POINT (a DER OCTET STRING holding the uncompressed point), through node's JWK import. */
export function ecSpki(
  lib: Pkcs11Lib,
  p11: Pkcs11js.PKCS11,
  session: Pkcs11js.Handle,
  key: Pkcs11js.Handle,
  curve: 'P-256' | 'P-384',
): Buffer {
  const [attr] = p11.C_GetAttributeValue(session, key, [{ type: lib.CKA_EC_POINT }]);
  const der = attr?.value;
  const size = curve === 'P-256' ? 32 : 48;
  // OCTET STRING (0x04, one length byte below 128) around 0x04 ‖ x ‖ y.
  if (der?.length !== 2 * size + 3 || der[0] !== 0x04 || der[2] !== 0x04)
    throw new InternalError('the token returned a malformed EC point');
  const x = der.subarray(3, 3 + size).toString('base64url');
  const y = der.subarray(3 + size).toString('base64url');
  return createPublicKey({ key: { kty: 'EC', crv: curve, x, y }, format: 'jwk' }).export({
    type: 'spki',
    format: 'der',
  });
}

function rsaSpki(lib: Pkcs11Lib, p11: Pkcs11js.PKCS11, session: Pkcs11js.Handle, key: Pkcs11js.Handle): Buffer {
  const [n, e] = p11.C_GetAttributeValue(session, key, [{ type: lib.CKA_MODULUS }, { type: lib.CKA_PUBLIC_EXPONENT }]);
  const modulus = n?.value;
  const exponent = e?.value;
  if (!modulus || !exponent) throw new InternalError('the token returned no RSA public key');
  return createPublicKey({
    key: { kty: 'RSA', n: modulus.toString('base64url'), e: exponent.toString('base64url') },
    format: 'jwk',
  }).export({ type: 'spki', format: 'der' });
}

/**
 * Generates a key in the token, labelled `label` (for people reading the token; Custos finds it by CKA_ID, 16 random
 * bytes). A failure leaves no object behind. Errors: the token unreachable → UNAVAILABLE; anything else → INTERNAL.
 */
export async function generateTokenKey(token: Pkcs11Token, kind: TokenKeyKind, label: string): Promise<TokenKey> {
  const id = randomBytes(16);
  try {
    return await token.run('C_GenerateKey', async (call) => {
      if (kind.type === 'aes' || kind.type === 'hmac') {
        await generateSecret(call, kind, id, label);
        return { id: id.toString('hex'), publicKey: null };
      }
      return { id: id.toString('hex'), publicKey: await generatePair(call, kind, id, label) };
    });
  } catch (err) {
    await destroyTokenKey(token, id.toString('hex')).catch(() => undefined); // a pair half-made, a public key read failed
    throw err;
  }
}

/**
 * Destroys every object with this CKA_ID (a secret key, or both halves of a pair). Returns how many it destroyed
 * (0 when none was left: destroying is idempotent).
 */
export async function destroyTokenKey(token: Pkcs11Token, id: string): Promise<number> {
  token.forget(id);
  return token.run('C_DestroyObject', ({ lib, p11, session }) => {
    const found = findAll(lib, p11, session, id);
    for (const handle of found) p11.C_DestroyObject(session, handle);
    return Promise.resolve(found.length);
  });
}

/** How many objects have this CKA_ID (tests and checks; 0 when the key is gone). */
export async function countTokenObjects(token: Pkcs11Token, id: string): Promise<number> {
  return token.run('C_FindObjects', ({ lib, p11, session }) => Promise.resolve(findAll(lib, p11, session, id).length));
}

function findAll(lib: Pkcs11Lib, p11: Pkcs11js.PKCS11, session: Pkcs11js.Handle, id: string): Pkcs11js.Handle[] {
  p11.C_FindObjectsInit(session, [{ type: lib.CKA_ID, value: Buffer.from(id, 'hex') }]);
  try {
    return p11.C_FindObjects(session, 8);
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}
