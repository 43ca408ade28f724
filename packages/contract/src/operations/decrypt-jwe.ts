// DecryptJwe (Custos): the plaintext of a compact JWE made for the key (RSA-OAEP-256 or dir, with A256GCM); any
// failure is INVALID_CIPHERTEXT. The jwk facade's decrypt.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Binary, KeyIdString } from '../schemas/common.js';
import { CompactJose } from '../schemas/jose.js';

/** DecryptJwe request. */
export const DecryptJweRequest = Type.Object({ keyId: KeyIdString, jwe: CompactJose }, { additionalProperties: false });
export type DecryptJweRequest = Static<typeof DecryptJweRequest>;

/** DecryptJwe response. */
export const DecryptJweResponse = Type.Object({ plaintext: Binary });
export type DecryptJweResponse = Static<typeof DecryptJweResponse>;

/** The DecryptJwe operation: POST /v1/keys/:keyId/jwe/decrypt (Custos only). */
export const decryptJweOperation = contractOperation({
  method: 'decryptJwe',
  name: 'DecryptJwe',
  request: DecryptJweRequest,
  response: DecryptJweResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/jwe/decrypt' },
  safeToRetry: true, // a cryptographic operation: no state but the audit log and use counts
  aws: false,
});
