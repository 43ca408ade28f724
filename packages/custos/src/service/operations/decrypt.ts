// Decrypt: the blob names its key and version, so no key id is needed and rotation changes nothing.
import { decryptOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { decryptBlob } from '../envelope.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';
import { checkGrantTokens } from '../grants/grant-token.js';

export const decrypt = defineOperation(decryptOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  refuseUnsupported(input, ['dryRun']);
  checkGrantTokens(ctx, input.grantTokens);
  const result = await decryptBlob(
    ctx,
    input.ciphertextBlob,
    input.encryptionContext,
    input.keyId,
    input.encryptionAlgorithm,
  );
  return {
    keyId: keyArn(ctx.config, result.key.id),
    plaintext: result.plaintext,
    encryptionAlgorithm: result.algorithm,
  };
});
