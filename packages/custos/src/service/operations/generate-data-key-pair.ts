// GenerateDataKeyPair: a fresh key pair whose private key (PKCS#8 DER) is returned in plaintext and encrypted
// under a symmetric key. Must not import api.
import { generateDataKeyPairOperation, type GenerateDataKeyPairRequest } from '@custos/contract';
import { keySpec } from '../../core/key-specs.js';
import { generateKeyMaterial } from '../../core/key-material.js';
import { exposeSecret } from '../../core/secret-bytes.js';
import type { OpContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { encryptWithKey } from '../envelope.js';
import { checkUse, loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { requirePublicKey } from '../require-public-key.js';
import { refuseUnsupported } from '../rules.js';
import { checkGrantTokens } from '../grants/grant-token.js';

export async function makePair(ctx: OpContext, input: GenerateDataKeyPairRequest) {
  refuseUnsupported(input, ['dryRun']);
  checkGrantTokens(ctx, input.grantTokens);
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  // Refuse before the (possibly slow, RSA) generation, not after it.
  checkUse(ctx, key, 'ENCRYPT_DECRYPT', 'SYMMETRIC_DEFAULT', true);
  const pair = await generateKeyMaterial(keySpec(input.keyPairSpec));
  try {
    const privateKeyPlaintext = new Uint8Array(exposeSecret(pair.material));
    const privateKeyCiphertextBlob = await encryptWithKey(
      ctx,
      key,
      privateKeyPlaintext,
      input.encryptionContext,
      'SYMMETRIC_DEFAULT',
    );
    return {
      keyId: keyArn(ctx.config, key.id),
      keyPairSpec: input.keyPairSpec,
      publicKey: requirePublicKey(pair.publicKey, `a generated ${input.keyPairSpec} pair`),
      privateKeyCiphertextBlob,
      privateKeyPlaintext,
    };
  } finally {
    pair.material.wipe();
  }
}

export const generateDataKeyPair = defineOperation(
  generateDataKeyPairOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    return makePair(ctx, input);
  },
);
