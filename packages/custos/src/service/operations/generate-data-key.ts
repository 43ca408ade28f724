// GenerateDataKey: a fresh data key, returned in plaintext and encrypted under a symmetric key.
// Must not import api.
import {
  generateDataKeyOperation,
  InternalError,
  ValidationError,
  type GenerateDataKeyRequest,
} from '@custos/contract';
import { randomBytes } from 'node:crypto';
import { keySpec } from '../../core/key-specs.js';
import type { OpContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { encryptWithKey } from '../envelope.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';
import { checkGrantTokens } from '../grants/grant-token.js';

/** Exactly one of keySpec and numberOfBytes; a data key spec names an AES key spec, whose size the table gives. */
function dataKeyLength(input: GenerateDataKeyRequest): number {
  const { keySpec: spec, numberOfBytes } = input;
  if (numberOfBytes !== undefined && spec === undefined) return numberOfBytes;
  if (numberOfBytes !== undefined || spec === undefined) {
    throw new ValidationError('specify exactly one of keySpec and numberOfBytes');
  }
  const { keyBytes } = keySpec(spec);
  if (keyBytes === undefined) throw new InternalError(`${spec} names a key spec without a size`);
  return keyBytes;
}

export async function makeDataKey(ctx: OpContext, input: GenerateDataKeyRequest) {
  refuseUnsupported(input, ['dryRun']);
  checkGrantTokens(ctx, input.grantTokens);
  const length = dataKeyLength(input);
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  const plaintext = new Uint8Array(randomBytes(length));
  const ciphertextBlob = await encryptWithKey(ctx, key, plaintext, input.encryptionContext, 'SYMMETRIC_DEFAULT');
  return { keyId: keyArn(ctx.config, key.id), ciphertextBlob, plaintext };
}

export const generateDataKey = defineOperation(
  generateDataKeyOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    return makeDataKey(ctx, input);
  },
);
