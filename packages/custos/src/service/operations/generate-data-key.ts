// GenerateDataKey and GenerateDataKeyWithoutPlaintext: a fresh data key, returned encrypted under a
// symmetric key (and in plaintext for the first).
import {
  ValidationError,
  type GenerateDataKeyRequest,
  type GenerateDataKeyResponse,
  type GenerateDataKeyWithoutPlaintextRequest,
  type GenerateDataKeyWithoutPlaintextResponse,
} from '@custos/contract';
import { randomBytes } from 'node:crypto';
import type { OpContext } from '../context.js';
import { encryptWithKey } from '../envelope.js';
import { keyArn } from '../key-ref.js';
import { loadKey } from '../keys.js';
import { refuseUnsupported } from '../rules.js';

const DATA_KEY_BYTES = { AES_128: 16, AES_256: 32 } as const;

async function makeDataKey(ctx: OpContext, input: GenerateDataKeyRequest, operation: 'GenerateDataKey' | 'GenerateDataKeyWithoutPlaintext') {
  refuseUnsupported(input, ['grantTokens', 'dryRun', 'recipient']);
  if ((input.keySpec === undefined) === (input.numberOfBytes === undefined)) {
    throw new ValidationError('specify exactly one of keySpec and numberOfBytes');
  }
  const length = input.keySpec ? DATA_KEY_BYTES[input.keySpec] : input.numberOfBytes!;
  const key = await loadKey(ctx, ctx.store.db, input.keyId, operation);
  const plaintext = new Uint8Array(randomBytes(length));
  const ciphertextBlob = await encryptWithKey(ctx, key, plaintext, input.encryptionContext, 'SYMMETRIC_DEFAULT');
  return { keyId: keyArn(ctx.config, key.id), ciphertextBlob, plaintext };
}

export async function generateDataKey(ctx: OpContext, input: GenerateDataKeyRequest): Promise<GenerateDataKeyResponse> {
  return makeDataKey(ctx, input, 'GenerateDataKey');
}

export async function generateDataKeyWithoutPlaintext(
  ctx: OpContext,
  input: GenerateDataKeyWithoutPlaintextRequest,
): Promise<GenerateDataKeyWithoutPlaintextResponse> {
  const { plaintext, ...rest } = await makeDataKey(ctx, input, 'GenerateDataKeyWithoutPlaintext');
  plaintext.fill(0);
  return rest;
}
