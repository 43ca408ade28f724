// ReEncrypt: decrypt under one key and encrypt under another; the plaintext never leaves the service.
import { reEncryptOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { decryptBlob, encryptWithKey } from '../envelope.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';

export const reEncrypt = defineOperation(reEncryptOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  refuseUnsupported(input, ['grantTokens', 'dryRun']);
  const source = await decryptBlob(
    ctx,
    input.ciphertextBlob,
    input.sourceEncryptionContext,
    input.sourceKeyId,
    input.sourceEncryptionAlgorithm,
  );
  try {
    const destination = await loadKey(ctx, ctx.store.db, input.destinationKeyId, 'kms:ReEncryptTo');
    const algorithm = input.destinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    const ciphertextBlob = await encryptWithKey(
      ctx,
      destination,
      source.plaintext,
      input.destinationEncryptionContext,
      algorithm,
    );
    ctx.audit.details = { sourceKeyId: source.key.id };
    return {
      ciphertextBlob,
      sourceKeyId: keyArn(ctx.config, source.key.id),
      keyId: keyArn(ctx.config, destination.id),
      sourceEncryptionAlgorithm: source.algorithm,
      destinationEncryptionAlgorithm: algorithm,
    };
  } finally {
    source.plaintext.fill(0);
  }
});
