// ReEncrypt: decrypt under one key and encrypt under another; the plaintext never leaves the service.
import type { ReEncryptRequest, ReEncryptResponse } from '@custos/contract';
import type { OpContext } from '../context.js';
import { decryptBlob, encryptWithKey } from '../envelope.js';
import { keyArn } from '../key-ref.js';
import { loadKey } from '../keys.js';
import { refuseUnsupported } from '../rules.js';

export async function reEncrypt(ctx: OpContext, input: ReEncryptRequest): Promise<ReEncryptResponse> {
  refuseUnsupported(input, ['grantTokens', 'dryRun']);
  const source = await decryptBlob(
    ctx,
    'ReEncrypt',
    input.ciphertextBlob,
    input.sourceEncryptionContext,
    input.sourceKeyId,
    input.sourceEncryptionAlgorithm,
  );
  try {
    const destination = await loadKey(ctx, ctx.store.db, input.destinationKeyId, 'ReEncrypt');
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
}
