// GenerateDataKeyPairWithoutPlaintext (AWS KMS GenerateDataKeyPairWithoutPlaintext): a fresh key pair: public key, and private key only encrypted under a key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { GenerateDataKeyPairRequest, GenerateDataKeyPairResponse } from './generate-data-key-pair.js';

/** GenerateDataKeyPairWithoutPlaintext request: the same fields as GenerateDataKeyPair (AWS). */
export const GenerateDataKeyPairWithoutPlaintextRequest = GenerateDataKeyPairRequest;
export type GenerateDataKeyPairWithoutPlaintextRequest = Static<typeof GenerateDataKeyPairWithoutPlaintextRequest>;

/** GenerateDataKeyPairWithoutPlaintext response: GenerateDataKeyPair's, without the private key in plaintext. */
export const GenerateDataKeyPairWithoutPlaintextResponse = Type.Omit(GenerateDataKeyPairResponse, [
  'privateKeyPlaintext',
]);
export type GenerateDataKeyPairWithoutPlaintextResponse = Static<typeof GenerateDataKeyPairWithoutPlaintextResponse>;

/** The GenerateDataKeyPairWithoutPlaintext operation: POST /v1/keys/:keyId/data-key-pair-without-plaintext, and TrentService.GenerateDataKeyPairWithoutPlaintext on the AWS protocol. */
export const generateDataKeyPairWithoutPlaintextOperation = contractOperation({
  method: 'generateDataKeyPairWithoutPlaintext',
  name: 'GenerateDataKeyPairWithoutPlaintext',
  request: GenerateDataKeyPairWithoutPlaintextRequest,
  response: GenerateDataKeyPairWithoutPlaintextResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/data-key-pair-without-plaintext' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
