// Keyring policies (MOSIP key_policy_def): MOSIP's default rows, finding an application's policy, and the checks a
// keyring's use must pass (active, access_allowed). Must not import api.
import { AccessDeniedError, NotFoundError, ValidationError, type Caller, type KeyringPolicy } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { Db } from '../../store/index.js';
import type { KeyringPolicyRecord } from '../../store/types.js';

/** `access_allowed` meaning any caller. */
export const ANY_CALLER = 'NA';

/**
 * MOSIP's default rows (mosip/keymanager db_scripts/mosip_keymgr/dml/keymgr-key_policy_def.csv, release 1.2.0.x and
 * master alike): application id, validity days, pre-expiry days; all active, all `access_allowed = NA`.
 */
export const DEFAULT_KEYRING_POLICIES: readonly (readonly [string, number, number])[] = [
  ['ADMIN_SERVICES', 1095, 60],
  ['BASE', 730, 30],
  ['COMPLIANCE_TOOLKIT', 1095, 60],
  ['DIGITAL_CARD', 1095, 60],
  ['ID_REPO', 1095, 60],
  ['KERNEL', 1095, 60],
  ['PMS', 1460, 395],
  ['PRE_REGISTRATION', 1095, 60],
  ['REGISTRATION', 1095, 60],
  ['REGISTRATION_PROCESSOR', 1095, 60],
  ['RESIDENT', 1095, 60],
  ['ROOT', 2920, 1125],
];

/** The policy as the contract shows it. */
export function policyOut(record: KeyringPolicyRecord): KeyringPolicy {
  return {
    applicationId: record.applicationId,
    validityDays: record.validityDays,
    preExpireDays: record.preExpireDays,
    active: record.active,
    accessAllowed: record.accessAllowed,
  };
}

/** The application's policy, or KEYRING_POLICY_NOT_FOUND (MOSIP KER-KMS-002). */
export async function requirePolicy(db: Db, applicationId: string): Promise<KeyringPolicyRecord> {
  const policy = await repo.keyringPolicies.get(db, applicationId);
  if (!policy)
    throw new NotFoundError(`no keyring policy for application ${applicationId}`, 'KEYRING_POLICY_NOT_FOUND');
  return policy;
}

/** KEYRING_ACCESS_NOT_ALLOWED (MOSIP KER-CRY-012) unless the policy is active and lets `caller` use the keyring. */
export function checkAccess(policy: KeyringPolicyRecord, caller: Caller): void {
  if (!policy.active)
    throw new AccessDeniedError(
      `the keyring policy of ${policy.applicationId} is not active`,
      'KEYRING_ACCESS_NOT_ALLOWED',
    );
  if (policy.accessAllowed === ANY_CALLER) return;
  const allowed = policy.accessAllowed.split(',').map((name) => name.trim());
  if (!allowed.includes(caller.principal))
    throw new AccessDeniedError(
      `${caller.principal} may not use the keyrings of ${policy.applicationId}`,
      'KEYRING_ACCESS_NOT_ALLOWED',
    );
}

/** A policy's own consistency: a key must be current for a while before it is due for renewal. */
export function checkPolicyValues(validityDays: number, preExpireDays: number): void {
  if (preExpireDays >= validityDays)
    throw new ValidationError('preExpireDays must be less than validityDays (a new key would be due at once)');
}
