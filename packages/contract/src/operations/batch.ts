// Batch: up to 1,000 cryptographic calls in one request (Vault transit's batch_input is the anchor), each with its
// own result or error, in order. Must not import anything but TypeBox, the contract's schemas and operation rows.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { ErrorCodeSchema } from '../schemas/common.js';
import { DecryptRequest, DecryptResponse } from './decrypt.js';
import { EncryptRequest, EncryptResponse } from './encrypt.js';
import { GenerateDataKeyRequest, GenerateDataKeyResponse } from './generate-data-key.js';
import {
  GenerateDataKeyWithoutPlaintextRequest,
  GenerateDataKeyWithoutPlaintextResponse,
} from './generate-data-key-without-plaintext.js';
import { GenerateMacRequest, GenerateMacResponse } from './generate-mac.js';
import { ReEncryptRequest, ReEncryptResponse } from './re-encrypt.js';
import { SignRequest, SignResponse } from './sign.js';
import { VerifyRequest, VerifyResponse } from './verify.js';
import { VerifyMacRequest, VerifyMacResponse } from './verify-mac.js';

/** The most items one batch may carry. */
export const MAX_BATCH_ITEMS = 1000;

/** The operations a batch item may be, by Kms method name (an item names exactly one). */
export const BATCH_OPERATIONS = [
  'encrypt',
  'decrypt',
  'reEncrypt',
  'generateDataKey',
  'generateDataKeyWithoutPlaintext',
  'sign',
  'verify',
  'generateMac',
  'verifyMac',
] as const;
export type BatchOperation = (typeof BATCH_OPERATIONS)[number];

/**
 * One item: an object with exactly one field, named after the operation, holding that operation's request.
 * @example { encrypt: { keyId: 'alias/orders', plaintext: bytes } }
 */
export const BatchItem = Type.Object(
  {
    encrypt: Type.Optional(EncryptRequest),
    decrypt: Type.Optional(DecryptRequest),
    reEncrypt: Type.Optional(ReEncryptRequest),
    generateDataKey: Type.Optional(GenerateDataKeyRequest),
    generateDataKeyWithoutPlaintext: Type.Optional(GenerateDataKeyWithoutPlaintextRequest),
    sign: Type.Optional(SignRequest),
    verify: Type.Optional(VerifyRequest),
    generateMac: Type.Optional(GenerateMacRequest),
    verifyMac: Type.Optional(VerifyMacRequest),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1 },
);
export type BatchItem = Static<typeof BatchItem>;

/** A failed item: its operation, and the error code and message a single call would have got. */
export const BatchItemError = Type.Object({
  operation: Type.String(),
  code: ErrorCodeSchema,
  message: Type.String(),
});

/** One item's result: the operation's response under the operation's name, or `error`. */
export const BatchResult = Type.Object({
  encrypt: Type.Optional(EncryptResponse),
  decrypt: Type.Optional(DecryptResponse),
  reEncrypt: Type.Optional(ReEncryptResponse),
  generateDataKey: Type.Optional(GenerateDataKeyResponse),
  generateDataKeyWithoutPlaintext: Type.Optional(GenerateDataKeyWithoutPlaintextResponse),
  sign: Type.Optional(SignResponse),
  verify: Type.Optional(VerifyResponse),
  generateMac: Type.Optional(GenerateMacResponse),
  verifyMac: Type.Optional(VerifyMacResponse),
  error: Type.Optional(BatchItemError),
});
export type BatchResult = Static<typeof BatchResult>;

/** Batch request. */
export const BatchRequest = Type.Object(
  { items: Type.Array(BatchItem, { minItems: 1, maxItems: MAX_BATCH_ITEMS }) },
  { additionalProperties: false },
);
export type BatchRequest = Static<typeof BatchRequest>;

/** Batch response: one result per item, in the items' order. */
export const BatchResponse = Type.Object({ results: Type.Array(BatchResult) });
export type BatchResponse = Static<typeof BatchResponse>;

/**
 * The Batch operation: POST /v1/batch. Each item is authorised, run and audited as its own operation (one audit
 * record per item, all committed together); a failed item fails alone.
 */
export const batchOperation = contractOperation({
  method: 'batch',
  name: 'Batch',
  request: BatchRequest,
  response: BatchResponse,
  route: { method: 'POST', path: '/v1/batch' },
  safeToRetry: true, // only cryptographic operations, each safe to retry
  aws: false,
});
