// DeriveSharedSecret: ECDH between a KEY_AGREEMENT key and a peer public key (SPKI DER as AWS, or PEM or
// JWK text), returning the raw shared secret as AWS does.
import { deriveSharedSecretOperation, ValidationError } from '@custos/contract';
import { ecdh } from '../../core/algorithms/ecdh.js';
import { parsePublicKey, type PublicKeyInput } from '../../core/key-material.js';
import { exposeSecret } from '../../core/secret-bytes.js';
import { defineOperation } from '../define-operation.js';
import { checkUse, countUse, loadKey } from '../key-loading.js';
import { latestMaterial } from '../key-versions.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';
import { checkGrantTokens } from '../grants/grant-token.js';

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

export const deriveSharedSecret = defineOperation(
  deriveSharedSecretOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    refuseUnsupported(input, ['dryRun']);
    checkGrantTokens(ctx, input.grantTokens);
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const spec = checkUse(ctx, key, 'KEY_AGREEMENT', input.keyAgreementAlgorithm, true);
    const peer = parsePublicKey(spec, peerKeyInput(input.publicKey));
    const { material } = await latestMaterial(ctx, key);
    let sharedSecret: Uint8Array;
    try {
      const secret = ecdh(spec, material, peer);
      sharedSecret = new Uint8Array(exposeSecret(secret));
      secret.wipe();
    } finally {
      material.wipe();
    }
    // Counted once the peer key has proved usable (a low-order point is refused, not a use); past the limit the secret is dropped.
    try {
      await countUse(ctx, key);
    } catch (error) {
      sharedSecret.fill(0);
      throw error;
    }
    return {
      keyId: keyArn(ctx.config, key.id),
      sharedSecret,
      keyAgreementAlgorithm: input.keyAgreementAlgorithm,
      keyOrigin: key.origin,
    };
  },
);
