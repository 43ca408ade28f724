// Encrypt: up to 4096 bytes under a symmetric key (self-describing blob) or an RSA key (OAEP).
import { encryptOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { encryptWithKey } from '../envelope.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';
import { checkGrantTokens } from '../grants/grant-token.js';

export const encrypt = defineOperation(encryptOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  refuseUnsupported(input, ['dryRun']);
  checkGrantTokens(ctx, input.grantTokens);
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  const algorithm = input.encryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  const ciphertextBlob = await encryptWithKey(ctx, key, input.plaintext, input.encryptionContext, algorithm);
  return { ciphertextBlob, keyId: keyArn(ctx.config, key.id), encryptionAlgorithm: algorithm };
});
