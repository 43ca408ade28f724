// GenerateDataKeyWithoutPlaintext (AWS KMS GenerateDataKeyWithoutPlaintext): a fresh data key, returned only encrypted under a key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { GenerateDataKeyRequest, GenerateDataKeyResponse } from './generate-data-key.js';

/** GenerateDataKeyWithoutPlaintext request: the same fields as GenerateDataKey (AWS). */
export const GenerateDataKeyWithoutPlaintextRequest = GenerateDataKeyRequest;
export type GenerateDataKeyWithoutPlaintextRequest = Static<typeof GenerateDataKeyWithoutPlaintextRequest>;

/** GenerateDataKeyWithoutPlaintext response: GenerateDataKey's, without the plaintext. */
export const GenerateDataKeyWithoutPlaintextResponse = Type.Omit(GenerateDataKeyResponse, ['plaintext']);
export type GenerateDataKeyWithoutPlaintextResponse = Static<typeof GenerateDataKeyWithoutPlaintextResponse>;

/** The GenerateDataKeyWithoutPlaintext operation: POST /v1/keys/:keyId/data-key-without-plaintext, and TrentService.GenerateDataKeyWithoutPlaintext on the AWS protocol. */
export const generateDataKeyWithoutPlaintextOperation = contractOperation({
  method: 'generateDataKeyWithoutPlaintext',
  name: 'GenerateDataKeyWithoutPlaintext',
  request: GenerateDataKeyWithoutPlaintextRequest,
  response: GenerateDataKeyWithoutPlaintextResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/data-key-without-plaintext' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
