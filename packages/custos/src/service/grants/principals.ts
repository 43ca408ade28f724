// Principals as grants name them: IAM ARNs of the server's account (`arn:aws:iam::<account>:user/<principal>`, or
// `role/<principal>`), matched against the caller's principal. Must not import api or store.
import { ValidationError, type Caller } from '@custos/contract';
import { accountRootArn as rootArn, principalArn } from '../authz/principals.js';
import type { ServiceConfig } from '../context.js';

const IAM_ARN = /^arn:aws:iam::([0-9]{12}):(user|role)\/(.+)$/;

/** The ARN a caller is known by in grants (the `user/` form). */
export function callerArn(config: ServiceConfig, caller: Pick<Caller, 'principal'>): string {
  return principalArn(config.accountId, caller.principal);
}

/** The account's root ARN (AWS GrantListEntry.IssuingAccount). */
export function accountRootArn(config: ServiceConfig): string {
  return rootArn(config.accountId);
}

/**
 * A principal as a grant stores it: an IAM `user/` or `role/` ARN of this account as given, or a bare Custos principal
 * name as its `user/` ARN. Anything else (another account, the account root, a service principal) is
 * VALIDATION_ERROR: Custos has no principal it could mean.
 * @example grantPrincipal(config, 'billing', 'GranteePrincipal'); // 'arn:aws:iam::000000000000:user/billing'
 */
export function grantPrincipal(config: ServiceConfig, value: string, field: string): string {
  if (!value.startsWith('arn:')) return callerArn(config, { principal: value });
  const match = IAM_ARN.exec(value);
  if (match?.[1] !== config.accountId)
    throw new ValidationError(
      `${field} must be arn:aws:iam::${config.accountId}:user/<principal> or role/<principal>, or a principal name`,
    );
  return value;
}

/** Whether `arn` names the caller (as `user/` or `role/` of this account). */
export function namesCaller(config: ServiceConfig, caller: Pick<Caller, 'principal'>, arn: string | null): boolean {
  if (arn === null) return false;
  const prefix = `arn:aws:iam::${config.accountId}:`;
  return arn === `${prefix}user/${caller.principal}` || arn === `${prefix}role/${caller.principal}`;
}
