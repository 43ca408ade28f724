// GenerateDataKeyPairWithoutPlaintext (AWS KMS GenerateDataKeyPairWithoutPlaintext): a fresh key pair: public key, and private key only encrypted under a key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { GenerateDataKeyPairRequest, GenerateDataKeyPairResponse } from './generate-data-key-pair.js';

/** GenerateDataKeyPairWithoutPlaintext request: the same fields as GenerateDataKeyPair (AWS). */
export const GenerateDataKeyPairWithoutPlaintextRequest = GenerateDataKeyPairRequest;
export type GenerateDataKeyPairWithoutPlaintextRequest = Static<typeof GenerateDataKeyPairWithoutPlaintextRequest>;

/** GenerateDataKeyPairWithoutPlaintext response: GenerateDataKeyPair's, without the private key in plaintext. */
export const GenerateDataKeyPairWithoutPlaintextResponse = Type.Omit(GenerateDataKeyPairResponse, [
  'privateKeyPlaintext',
]);
export type GenerateDataKeyPairWithoutPlaintextResponse = Static<typeof GenerateDataKeyPairWithoutPlaintextResponse>;
