// Decrypt: the blob names its key and version, so no key id is needed and rotation changes nothing.
import type { DecryptRequest, DecryptResponse } from '@custos/contract';
import type { OpContext } from '../context.js';
import { decryptBlob } from '../envelope.js';
import { keyArn } from '../key-ref.js';
import { refuseUnsupported } from '../rules.js';

export async function decrypt(ctx: OpContext, input: DecryptRequest): Promise<DecryptResponse> {
  refuseUnsupported(input, ['grantTokens', 'dryRun']);
  const result = await decryptBlob(
    ctx,
    'Decrypt',
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
}
