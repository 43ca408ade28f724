// AWS's policy lockout safety check: a key policy that would not let the principal putting it call PutKeyPolicy
// afterwards is refused, unless the caller bypasses the check. Must not import api or store.
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { keyArn } from '../key-ref.js';
import { ROLE_GRANTS } from '../lifecycle.js';
import { evaluatePolicy } from './evaluate.js';
import { malformed } from './malformed.js';
import { compilePolicy } from './policy-document.js';
import { requestFacts } from './request-facts.js';

const PUT_KEY_POLICY = 'kms:PutKeyPolicy';

/**
 * Refuses (MALFORMED_POLICY_DOCUMENT, AWS's message) `policy` for `key` when the caller could not put a policy on
 * the key under it, unless `bypass`. The roles count as they would for PutKeyPolicy (its access: manage).
 * @example checkLockout(ctx, key, input.policy, input.bypassPolicyLockoutSafetyCheck ?? false);
 */
export function checkLockout(ctx: OpContext, key: KeyRecord, policy: string, bypass: boolean): void {
  if (bypass) return;
  const compiled = compilePolicy(policy, ctx.config.accountId);
  const decision = evaluatePolicy(compiled, {
    action: PUT_KEY_POLICY,
    principal: ctx.caller.principal,
    accountId: ctx.config.accountId,
    keyArn: keyArn(ctx.config, key.id),
    rolesAllow: ctx.caller.roles.some(
      (role) => Object.hasOwn(ROLE_GRANTS, role) && ROLE_GRANTS[role].includes('manage'),
    ),
    facts: requestFacts(ctx, key, PUT_KEY_POLICY),
  });
  if (decision !== 'allow')
    throw malformed(
      'The new key policy will not allow you to update the key policy in the future ' +
        '(set bypassPolicyLockoutSafetyCheck to put it anyway)',
    );
}
