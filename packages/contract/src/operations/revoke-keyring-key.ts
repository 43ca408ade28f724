// RevokeKeyringKey (Custos, MOSIP revokeKey): expires a keyring's current Base key at once; the next use generates
// a new one. Must not import anything but TypeBox and the contract's schemas, names and operation row.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import type { EmptyObject } from '../schemas/common.js';
import { ApplicationId, ReferenceId } from '../schemas/keyrings.js';

/** RevokeKeyringKey request. */
export const RevokeKeyringKeyRequest = Type.Object(
  { applicationId: ApplicationId, referenceId: Type.String({ ...ReferenceId, minLength: 1 }) },
  { additionalProperties: false },
);
export type RevokeKeyringKeyRequest = Static<typeof RevokeKeyringKeyRequest>;

/** RevokeKeyringKey response. */
export const RevokeKeyringKeyResponse = Type.Object({});
export type RevokeKeyringKeyResponse = EmptyObject;

/** The RevokeKeyringKey operation: POST /v1/keyrings/:applicationId/revoke (Custos only). */
export const revokeKeyringKeyOperation = contractOperation({
  method: 'revokeKeyringKey',
  name: 'RevokeKeyringKey',
  request: RevokeKeyringKeyRequest,
  response: RevokeKeyringKeyResponse,
  route: { method: 'POST', path: '/v1/keyrings/:applicationId/revoke' },
  safeToRetry: false, // a repeat would expire the key generated since
  aws: false,
});
