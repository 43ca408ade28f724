// EncryptJwe (Custos): a compact JWE (RFC 7516) of a plaintext: RSA-OAEP-256 + A256GCM for an RSA encryption key,
// `dir` + A256GCM for a SYMMETRIC_DEFAULT key (the key never leaves Custos). The jwk facade's encrypt.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString, binary } from '../schemas/common.js';
import { CompactJose, MAX_JOSE_BYTES } from '../schemas/jose.js';

/** EncryptJwe request. */
export const EncryptJweRequest = Type.Object(
  { keyId: KeyIdString, plaintext: binary(0, MAX_JOSE_BYTES) },
  { additionalProperties: false },
);
export type EncryptJweRequest = Static<typeof EncryptJweRequest>;

/** EncryptJwe response. */
export const EncryptJweResponse = Type.Object({ jwe: CompactJose });
export type EncryptJweResponse = Static<typeof EncryptJweResponse>;

/** The EncryptJwe operation: POST /v1/keys/:keyId/jwe (Custos only). */
export const encryptJweOperation = contractOperation({
  method: 'encryptJwe',
  name: 'EncryptJwe',
  request: EncryptJweRequest,
  response: EncryptJweResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/jwe' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: false,
});
