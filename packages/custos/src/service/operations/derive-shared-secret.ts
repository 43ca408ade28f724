// DeriveSharedSecret: ECDH between a KEY_AGREEMENT key and a peer public key (SPKI DER as AWS, or PEM or
// JWK text), returning the raw shared secret as AWS does, or (storeAs) storing HKDF-SHA256 of it as a new key.
import { deriveSharedSecretOperation, ValidationError } from '@custos/contract';
import { ecdh } from '../../core/algorithms/ecdh.js';
import { parsePublicKey, type PublicKeyInput } from '../../core/key-material.js';
import { deriveKey as kdf } from '../../core/algorithms/kdf.js';
import { exposeSecret, type SecretBytes } from '../../core/secret-bytes.js';
import { defineOperation } from '../define-operation.js';
import { checkUse, countUse, loadKey } from '../key-loading.js';
import { latestMaterial } from '../key-versions.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';
import { checkGrantTokens } from '../grants/grant-token.js';
import { storeDerivedKey, storedKey, type StoredKey } from '../store-derived-key.js';

/** PEM and JWK arrive as UTF-8 text in the binary field; anything else is DER. */
function peerKeyInput(bytes: Uint8Array): PublicKeyInput {
  const text = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
  if (text.startsWith('-----BEGIN')) return new TextDecoder().decode(bytes);
  if (text.startsWith('{')) {
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as PublicKeyInput;
    } catch (cause) {
      throw new ValidationError('the public key is not valid JWK JSON', 'INVALID_PUBLIC_KEY', { cause });
    }
  }
  return bytes;
}

/** HKDF-SHA256 over the ECDH secret (wiped) to the stored key's length, with the request's salt and info. */
function hkdf(secret: SecretBytes, stored: StoredKey, salt: Uint8Array = EMPTY, info: Uint8Array = EMPTY): SecretBytes {
  try {
    return kdf('HKDF_SHA_256', secret, { salt, info, length: stored.length });
  } finally {
    secret.wipe();
  }
}
const EMPTY = new Uint8Array(0);

export const deriveSharedSecret = defineOperation(
  deriveSharedSecretOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    refuseUnsupported(input, ['dryRun']);
    checkGrantTokens(ctx, input.grantTokens);
    const stored = input.storeAs && storedKey(input.storeAs);
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const spec = checkUse(ctx, key, 'KEY_AGREEMENT', input.keyAgreementAlgorithm, true);
    const peer = parsePublicKey(spec, peerKeyInput(input.publicKey));
    const { material } = await latestMaterial(ctx, key);
    let secret: SecretBytes;
    try {
      secret = ecdh(spec, material, peer);
    } finally {
      material.wipe();
    }
    // With storeAs the raw secret only feeds HKDF: it is wiped here and never leaves Custos.
    const result = stored ? hkdf(secret, stored, input.storeAs?.salt, input.storeAs?.info) : secret;
    // Counted once the peer key has proved usable (a low-order point is refused, not a use); past the limit the secret is dropped.
    try {
      await countUse(ctx, key);
    } catch (error) {
      result.wipe();
      throw error;
    }
    const common = {
      keyId: keyArn(ctx.config, key.id),
      keyAgreementAlgorithm: input.keyAgreementAlgorithm,
      keyOrigin: key.origin,
    };
    ctx.audit.details = { stored: Boolean(stored) };
    if (stored) {
      const description = `ECDH agreement of ${key.id}, HKDF_SHA_256`;
      return { ...common, keyMetadata: await storeDerivedKey(ctx, stored, result, description) };
    }
    const sharedSecret = new Uint8Array(exposeSecret(result));
    result.wipe();
    return { ...common, sharedSecret };
  },
);
