// RevokeAccessKey (Custos): an access key stops authenticating at once; its record stays for the audit trail.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import type { EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** RevokeAccessKey request. */
export const RevokeAccessKeyRequest = Type.Object(
  {
    accessKeyId: Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Z0-9]+$' }),
  },
  { additionalProperties: false },
);
export type RevokeAccessKeyRequest = Static<typeof RevokeAccessKeyRequest>;

/** RevokeAccessKey response. */
export const RevokeAccessKeyResponse = Type.Object({});
export type RevokeAccessKeyResponse = EmptyObject;

/** The RevokeAccessKey operation: DELETE /v1/access-keys/:accessKeyId (Custos only). */
export const revokeAccessKeyOperation = contractOperation({
  method: 'revokeAccessKey',
  name: 'RevokeAccessKey',
  request: RevokeAccessKeyRequest,
  response: RevokeAccessKeyResponse,
  route: { method: 'DELETE', path: '/v1/access-keys/:accessKeyId' },
  safeToRetry: false, // the repeat may fail after the first succeeded
  aws: false,
});
