// DeleteKeyringPolicy (Custos, MOSIP key_policy_def): removes a keyring policy; its keys stay (and keep decrypting).
// Must not import anything but TypeBox and the contract's schemas, names and operation row.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import type { EmptyObject } from '../schemas/common.js';
import { ApplicationId } from '../schemas/keyrings.js';

/** DeleteKeyringPolicy request. */
export const DeleteKeyringPolicyRequest = Type.Object(
  { applicationId: ApplicationId },
  { additionalProperties: false },
);
export type DeleteKeyringPolicyRequest = Static<typeof DeleteKeyringPolicyRequest>;

/** DeleteKeyringPolicy response. */
export const DeleteKeyringPolicyResponse = Type.Object({});
export type DeleteKeyringPolicyResponse = EmptyObject;

/** The DeleteKeyringPolicy operation: DELETE /v1/keyrings/policies/:applicationId (Custos only). */
export const deleteKeyringPolicyOperation = contractOperation({
  method: 'deleteKeyringPolicy',
  name: 'DeleteKeyringPolicy',
  request: DeleteKeyringPolicyRequest,
  response: DeleteKeyringPolicyResponse,
  route: { method: 'DELETE', path: '/v1/keyrings/policies/:applicationId' },
  safeToRetry: false, // a repeat answers KEYRING_POLICY_NOT_FOUND
  aws: false,
});
