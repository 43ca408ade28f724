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
import { keySpec } from '../../core/key-specs.js';
import type { OpContext } from '../context.js';
import { encryptWithKey } from '../envelope.js';
import { keyArn } from '../key-ref.js';
import { loadKey } from '../keys.js';
import { refuseUnsupported } from '../rules.js';

async function makeDataKey(
  ctx: OpContext,
  input: GenerateDataKeyRequest,
  operation: 'GenerateDataKey' | 'GenerateDataKeyWithoutPlaintext',
) {
  refuseUnsupported(input, ['grantTokens', 'dryRun']);
  if ((input.keySpec === undefined) === (input.numberOfBytes === undefined)) {
    throw new ValidationError('specify exactly one of keySpec and numberOfBytes');
  }
  // A data key spec names an AES key spec: the table gives its length.
  const length = input.keySpec ? keySpec(input.keySpec).keyBytes! : input.numberOfBytes!;
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
