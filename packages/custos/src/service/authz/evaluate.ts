// The key policy decision, pure (no I/O, no clock but the facts'): AWS's evaluation logic for a key policy of one
// account. An explicit Deny wins; an Allow to the account root delegates to the caller's identity policies (roles).
// Must not import api or store.
import type { CompiledPolicy } from './policy-document.js';
import { matchPrincipal } from './principals.js';
import type { RequestFacts } from './request-facts.js';

/** What the evaluator is asked: may `principal` do `action` (`kms:Encrypt`) on the key `keyArn`? */
export interface PolicyRequest {
  readonly action: string;
  readonly principal: string;
  readonly accountId: string;
  readonly keyArn: string;
  /** Whether the caller's roles (identity policies) allow the action: what an Allow to the account root defers to. */
  readonly rolesAllow: boolean;
  readonly facts: RequestFacts;
}

/** `deny`: an explicit Deny applies; `allow`: an Allow applies and no Deny; `none`: no statement allows (a grant may). */
export type PolicyDecision = 'allow' | 'deny' | 'none';

/**
 * Evaluates `policy` for `request`. A Deny naming the account root applies to every principal of the account (AWS).
 * @example evaluatePolicy(compilePolicy(text, account), { action: 'kms:Encrypt', principal: 'billing', ... })
 */
export function evaluatePolicy(policy: CompiledPolicy, request: PolicyRequest): PolicyDecision {
  const action = request.action.toLowerCase();
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statement.appliesTo(action) || !statement.covers(request.keyArn)) continue;
    const deny = statement.effect === 'Deny';
    if (!deny && allowed) continue; // already allowed: only a Deny can change the outcome
    let names = false;
    for (const entry of statement.principals) {
      const match = matchPrincipal(entry, request.accountId, request.principal);
      if (match === 'everyone' || match === 'caller' || (match === 'account' && (deny || request.rolesAllow))) {
        names = true;
        break;
      }
    }
    if (!names || (statement.condition && !statement.condition(request.facts))) continue;
    if (deny) return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'none';
}
