// GenerateDataKeyWithoutPlaintext (AWS KMS GenerateDataKeyWithoutPlaintext): a fresh data key, returned only encrypted under a key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { GenerateDataKeyRequest, GenerateDataKeyResponse } from './generate-data-key.js';

/** GenerateDataKeyWithoutPlaintext request: the same fields as GenerateDataKey (AWS). */
export const GenerateDataKeyWithoutPlaintextRequest = GenerateDataKeyRequest;
export type GenerateDataKeyWithoutPlaintextRequest = Static<typeof GenerateDataKeyWithoutPlaintextRequest>;

/** GenerateDataKeyWithoutPlaintext response: GenerateDataKey's, without the plaintext. */
export const GenerateDataKeyWithoutPlaintextResponse = Type.Omit(GenerateDataKeyResponse, ['plaintext']);
export type GenerateDataKeyWithoutPlaintextResponse = Static<typeof GenerateDataKeyWithoutPlaintextResponse>;
