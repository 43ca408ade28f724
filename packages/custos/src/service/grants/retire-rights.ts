// Who may retire a grant (AWS "Retiring and revoking grants"): its retiring principal, its grantee when the grant
// allows RetireGrant, and the account (in Custos: a caller whose roles manage keys). Must not import api or store.
import { AccessDeniedError, type Caller } from '@custos/contract';
import type { GrantRecord } from '../../store/types.js';
import type { ServiceConfig } from '../context.js';
import { ROLE_GRANTS } from '../lifecycle.js';
import { namesCaller } from './principals.js';

/** Whether the caller's roles give `manage` (the account's own right over its keys' grants). */
export function managesKeys(caller: Caller): boolean {
  return caller.roles.some((role) => Object.hasOwn(ROLE_GRANTS, role) && ROLE_GRANTS[role].includes('manage'));
}

/** Throws ACCESS_DENIED unless the caller may retire the grant. */
export function assertMayRetire(config: ServiceConfig, caller: Caller, grant: GrantRecord): void {
  if (namesCaller(config, caller, grant.retiringPrincipal)) return;
  if (grant.operations.includes('RetireGrant') && namesCaller(config, caller, grant.granteePrincipal)) return;
  if (managesKeys(caller)) return;
  throw new AccessDeniedError(`${caller.principal} may not retire this grant`);
}
