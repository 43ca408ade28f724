// Encrypt: up to 4096 bytes under a symmetric key (self-describing blob) or an RSA key (OAEP).
import type { EncryptRequest, EncryptResponse } from '@custos/contract';
import type { OpContext } from '../context.js';
import { encryptWithKey } from '../envelope.js';
import { keyArn } from '../key-ref.js';
import { loadKey } from '../keys.js';
import { refuseUnsupported } from '../rules.js';

export async function encrypt(ctx: OpContext, input: EncryptRequest): Promise<EncryptResponse> {
  refuseUnsupported(input, ['grantTokens', 'dryRun']);
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'Encrypt');
  const algorithm = input.encryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  const ciphertextBlob = await encryptWithKey(ctx, key, input.plaintext, input.encryptionContext, algorithm);
  return { ciphertextBlob, keyId: keyArn(ctx.config, key.id), encryptionAlgorithm: algorithm };
}
