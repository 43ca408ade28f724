// GetKeyringPolicy (Custos, MOSIP key_policy_def): one keyring policy.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { ApplicationId, KeyringPolicy } from '../schemas/keyrings.js';

/** GetKeyringPolicy request. */
export const GetKeyringPolicyRequest = Type.Object({ applicationId: ApplicationId }, { additionalProperties: false });
export type GetKeyringPolicyRequest = Static<typeof GetKeyringPolicyRequest>;

/** GetKeyringPolicy response. */
export const GetKeyringPolicyResponse = Type.Object({ policy: KeyringPolicy });
export type GetKeyringPolicyResponse = Static<typeof GetKeyringPolicyResponse>;

/** The GetKeyringPolicy operation: GET /v1/keyrings/policies/:applicationId (Custos only). */
export const getKeyringPolicyOperation = contractOperation({
  method: 'getKeyringPolicy',
  name: 'GetKeyringPolicy',
  request: GetKeyringPolicyRequest,
  response: GetKeyringPolicyResponse,
  route: { method: 'GET', path: '/v1/keyrings/policies/:applicationId' },
  safeToRetry: true, // a read
  aws: false,
});
