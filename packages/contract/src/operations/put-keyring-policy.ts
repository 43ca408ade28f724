// PutKeyringPolicy (Custos, MOSIP key_policy_def): creates or replaces a keyring policy.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { ApplicationId, KeyringPolicy } from '../schemas/keyrings.js';

/** PutKeyringPolicy request. */
export const PutKeyringPolicyRequest = Type.Object(
  {
    applicationId: ApplicationId,
    validityDays: KeyringPolicy.properties.validityDays,
    preExpireDays: KeyringPolicy.properties.preExpireDays,
    /** Default true. */
    active: Type.Optional(Type.Boolean()),
    /** Default `NA` (any caller). */
    accessAllowed: Type.Optional(KeyringPolicy.properties.accessAllowed),
  },
  { additionalProperties: false },
);
export type PutKeyringPolicyRequest = Static<typeof PutKeyringPolicyRequest>;

/** PutKeyringPolicy response: the policy as stored. */
export const PutKeyringPolicyResponse = Type.Object({ policy: KeyringPolicy });
export type PutKeyringPolicyResponse = Static<typeof PutKeyringPolicyResponse>;

/** The PutKeyringPolicy operation: PUT /v1/keyrings/policies/:applicationId (Custos only). */
export const putKeyringPolicyOperation = contractOperation({
  method: 'putKeyringPolicy',
  name: 'PutKeyringPolicy',
  request: PutKeyringPolicyRequest,
  response: PutKeyringPolicyResponse,
  route: { method: 'PUT', path: '/v1/keyrings/policies/:applicationId' },
  safeToRetry: true, // a put of the same values leaves the same policy
  aws: false,
});
