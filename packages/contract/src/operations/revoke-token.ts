// RevokeToken (Custos): a token stops authenticating at once; its record stays for the audit trail.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import type { EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** RevokeToken request. */
export const RevokeTokenRequest = Type.Object(
  {
    tokenId: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type RevokeTokenRequest = Static<typeof RevokeTokenRequest>;

/** RevokeToken response. */
export const RevokeTokenResponse = Type.Object({});
export type RevokeTokenResponse = EmptyObject;

/** The RevokeToken operation: DELETE /v1/tokens/:tokenId (Custos only). */
export const revokeTokenOperation = contractOperation({
  method: 'revokeToken',
  name: 'RevokeToken',
  request: RevokeTokenRequest,
  response: RevokeTokenResponse,
  route: { method: 'DELETE', path: '/v1/tokens/:tokenId' },
  safeToRetry: false, // the repeat may fail after the first succeeded
  aws: false,
});
