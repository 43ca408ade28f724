// Whether a grant allows this call: its grantee is the caller, it lists the operation, and its constraints hold
// for the request's encryption context (AWS CreateGrant Constraints; the check is grants/constraints.ts).
// Must not import api or store.
import type { GrantOperation } from '@custos/contract';
import { constraintsAllow } from '../grants/constraints.js';
import type { GrantView } from './grants-source.js';
import type { RequestFacts } from './request-facts.js';

/** True when `grant` lets the caller (its ARN in `facts`) run `operationName` with this request's facts. */
export function grantAllows(grant: GrantView, operationName: string, facts: RequestFacts): boolean {
  // A grantee named as role/<principal> is the same principal as user/<principal> (docs/authorization.md).
  const asRole = facts.principalArn.replace(':user/', ':role/');
  if (grant.granteePrincipal !== facts.principalArn && grant.granteePrincipal !== asRole) return false;
  if (!grant.operations.includes(operationName)) return false;
  return constraintsAllow(grant.constraints, operationName as GrantOperation, facts.encryptionContext);
}
