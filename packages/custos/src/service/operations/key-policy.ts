// GetKeyPolicy and PutKeyPolicy: stored and returned as given; enforcement comes with the access-control work.
import {
  NotFoundError,
  type GetKeyPolicyRequest,
  type GetKeyPolicyResponse,
  type PutKeyPolicyRequest,
  type PutKeyPolicyResponse,
} from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { loadKey } from '../keys.js';
import { checkPolicy, refuseUnsupported } from '../rules.js';

const POLICY_NAME = 'default';

/** The policy a key has until one is put: the account's principals may do everything (AWS's default). */
function defaultPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

function checkPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== POLICY_NAME)
    throw new NotFoundError(`no key policy named ${name}; the only name is ${POLICY_NAME}`);
}

export async function getKeyPolicy(ctx: OpContext, input: GetKeyPolicyRequest): Promise<GetKeyPolicyResponse> {
  checkPolicyName(input.policyName);
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'GetKeyPolicy');
  return { policy: key.policy ?? defaultPolicy(ctx.config.accountId), policyName: POLICY_NAME };
}

export async function putKeyPolicy(ctx: OpContext, input: PutKeyPolicyRequest): Promise<PutKeyPolicyResponse> {
  refuseUnsupported(input, ['bypassPolicyLockoutSafetyCheck']);
  checkPolicyName(input.policyName);
  checkPolicy(input.policy);
  await ctx.store.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, input.keyId, 'PutKeyPolicy');
    await repo.keys.update(tx, key.id, { policy: input.policy, updatedAt: ctx.now() });
  });
  return {};
}
