// The checks every keyring operation starts with: the application has a policy (KEYRING_POLICY_NOT_FOUND), and for
// use, the policy is active and lets the caller in (KEYRING_ACCESS_NOT_ALLOWED). Must not import api.
import type { KeyringPolicyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { checkAccess, requirePolicy } from './policies.js';
import { levelOf, type Ring } from './rings.js';

/** The application's policy, after checking the ring is well-formed (ROOT has no reference ids). */
export async function ringPolicy(ctx: OpContext, ring: Ring): Promise<KeyringPolicyRecord> {
  levelOf(ring);
  ctx.audit.details = { applicationId: ring.applicationId, referenceId: ring.referenceId };
  return requirePolicy(ctx.store.db, ring.applicationId);
}

/** The policy, checked to allow the caller's use of the ring. */
export async function admitRing(ctx: OpContext, ring: Ring): Promise<KeyringPolicyRecord> {
  const policy = await ringPolicy(ctx, ring);
  checkAccess(policy, ctx.caller);
  return policy;
}
