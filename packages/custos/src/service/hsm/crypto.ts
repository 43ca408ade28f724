// Cryptography with HSM-protected key versions, in their token: the AES-GCM step of the ciphertext format (the blob
// is the software keys' own), signatures on a digest computed here (ECDSA made DER, as software signatures are),
// RSA-OAEP decryption and HMAC. Must not import api.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  InternalError,
  InvalidStateError,
  ValidationError,
  type MacAlgorithm,
  type MessageType,
  type SigningAlgorithm,
} from '@custos/contract';
import { GCM_IV_BYTES, type GcmSealed } from '../../core/algorithms/aes-gcm.js';
import { DIGEST_BYTES, HASH_OF, isHashedSigning, type HashedSigningAlgorithm } from '../../core/algorithms/digests.js';
import type { KeySpecEntry } from '../../core/key-specs.js';
import {
  tokenGcmDecrypt,
  tokenGcmEncrypt,
  tokenHmac,
  tokenOaepDecrypt,
  tokenSignDigest,
  type TokenSignature,
} from '../../keystore/pkcs11/token-crypto.js';
import type { Pkcs11Token } from '../../keystore/pkcs11/token.js';
import type { KeyVersionRecord } from '../../store/types.js';
import type { ServiceContext } from '../context.js';
import { hsmTokenFor } from './tokens.js';

/** The version's token and object id; INVALID_KEY_STATE when its object was destroyed. */
async function objectOf(ctx: ServiceContext, version: KeyVersionRecord): Promise<{ token: Pkcs11Token; id: string }> {
  if (!version.tokenObjectId)
    throw new InvalidStateError('the key material of this version is not available (its token object was destroyed)');
  return { token: await hsmTokenFor(ctx, version.customKeyStoreId ?? null), id: version.tokenObjectId };
}

/** AES-256-GCM in the token, with a fresh 96-bit IV from node:crypto (the token takes the IV from its caller). */
export async function hsmGcmEncrypt(
  ctx: ServiceContext,
  version: KeyVersionRecord,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<GcmSealed> {
  const { token, id } = await objectOf(ctx, version);
  const iv = randomBytes(GCM_IV_BYTES);
  const { ciphertext, tag } = await tokenGcmEncrypt(token, id, iv, plaintext, aad);
  return { iv, ciphertext, tag };
}

/** AES-256-GCM decryption in the token; INVALID_CIPHERTEXT when the tag does not verify. */
export async function hsmGcmDecrypt(
  ctx: ServiceContext,
  version: KeyVersionRecord,
  sealed: GcmSealed,
  aad: Uint8Array,
): Promise<Uint8Array> {
  const { token, id } = await objectOf(ctx, version);
  return tokenGcmDecrypt(token, id, sealed.iv, sealed.ciphertext, sealed.tag, aad);
}

/** RSA-OAEP decryption in the token. */
export async function hsmOaepDecrypt(
  ctx: ServiceContext,
  version: KeyVersionRecord,
  algorithm: 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256',
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  const { token, id } = await objectOf(ctx, version);
  return tokenOaepDecrypt(token, id, HASH_OF[algorithm], ciphertext);
}

/** How the token signs for each algorithm family (the digest is made here). */
function howToSign(algorithm: HashedSigningAlgorithm): TokenSignature {
  const hash = HASH_OF[algorithm];
  if (algorithm.startsWith('ECDSA_')) return { scheme: 'ecdsa' };
  if (algorithm.startsWith('RSASSA_PSS_')) return { scheme: 'pss', hash };
  if (algorithm.startsWith('RSASSA_PKCS1_V1_5_')) return { scheme: 'pkcs1', hash };
  throw new InternalError(`${algorithm} is not served by HSM-protected keys`);
}

/**
 * Signs with the version's private key in the token, the message hashed here (RAW) or taken as the digest (DIGEST,
 * which must be the digest's length). ECDSA signatures come back DER-encoded, as software keys' do.
 */
export async function hsmSign(
  ctx: ServiceContext,
  spec: KeySpecEntry,
  version: KeyVersionRecord,
  algorithm: SigningAlgorithm,
  message: Uint8Array,
  messageType: MessageType,
): Promise<Uint8Array> {
  if (!spec.signing.includes(algorithm) || !isHashedSigning(algorithm))
    throw new ValidationError(`${algorithm} is not a signing algorithm of ${spec.name}`);
  const hash = HASH_OF[algorithm];
  if (messageType === 'DIGEST' && message.length !== DIGEST_BYTES[hash])
    throw new ValidationError(`a ${algorithm} DIGEST message must be ${DIGEST_BYTES[hash]} bytes`);
  const digest = messageType === 'DIGEST' ? message : createHash(hash).update(message).digest();
  const { token, id } = await objectOf(ctx, version);
  const how = howToSign(algorithm);
  const signature = await tokenSignDigest(token, id, how, digest);
  return how.scheme === 'ecdsa' ? p1363ToDer(spec, signature) : signature;
}

/** A raw r ‖ s ECDSA signature as DER (through the curve's noble object), low-S where the curve's policy asks. */
function p1363ToDer(spec: KeySpecEntry, raw: Uint8Array): Uint8Array {
  const ecdsa = 'ecdsa' in spec.family ? spec.family.ecdsa : undefined;
  if (ecdsa === undefined) throw new InternalError(`${spec.name} has no ECDSA`);
  const { noble, lowS } = ecdsa;
  const parsed = noble.Signature.fromBytes(raw, 'compact');
  const signature = lowS && parsed.hasHighS() ? new noble.Signature(parsed.r, noble.Point.Fn.ORDER - parsed.s) : parsed;
  return signature.toBytes('der');
}

/** HMAC in the token. */
export async function hsmMac(
  ctx: ServiceContext,
  version: KeyVersionRecord,
  algorithm: MacAlgorithm,
  message: Uint8Array,
): Promise<Uint8Array> {
  const { token, id } = await objectOf(ctx, version);
  return tokenHmac(token, id, HASH_OF[algorithm], message);
}

/** Whether `mac` is the version's HMAC of `message` (compared in constant time). */
export async function hsmMacMatches(
  ctx: ServiceContext,
  version: KeyVersionRecord,
  algorithm: MacAlgorithm,
  message: Uint8Array,
  mac: Uint8Array,
): Promise<boolean> {
  const expected = await hsmMac(ctx, version, algorithm, message);
  return expected.length === mac.length && timingSafeEqual(expected, mac);
}
