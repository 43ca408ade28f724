// Whether a grant allows this call: its grantee is the caller, it lists the operation, and its constraints hold
// for the request's encryption context (AWS CreateGrant Constraints). Must not import api or store.
import type { GrantView } from './grants-source.js';
import type { RequestFacts } from './request-facts.js';

/** True when `grant` lets the caller (its ARN in `facts`) run `operationName` with this request's facts. */
export function grantAllows(grant: GrantView, operationName: string, facts: RequestFacts): boolean {
  if (grant.granteePrincipal !== facts.principalArn) return false;
  if (!grant.operations.includes(operationName)) return false;
  const constraints = grant.constraints;
  if (!constraints) return true;
  const context = facts.encryptionContext ?? {};
  const { encryptionContextEquals: equals, encryptionContextSubset: subset } = constraints;
  if (equals) {
    const keys = Object.keys(context);
    if (keys.length !== Object.keys(equals).length) return false;
    if (!keys.every((k) => Object.hasOwn(equals, k) && equals[k] === context[k])) return false;
  }
  if (subset && !Object.entries(subset).every(([k, v]) => Object.hasOwn(context, k) && context[k] === v)) return false;
  return true;
}
