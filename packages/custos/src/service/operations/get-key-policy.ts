// GetKeyPolicy: the key policy document, returned as put; AWS's default for a key that has none (docs/authorization.md).
// Must not import api.
import { getKeyPolicyOperation, NotFoundError } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { ANY } from '../lifecycle.js';

export const POLICY_NAME = 'default';

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

export function checkPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== POLICY_NAME)
    throw new NotFoundError(`no key policy named ${name}; the only name is ${POLICY_NAME}`);
}

export const getKeyPolicy = defineOperation(
  getKeyPolicyOperation,
  { access: 'read', states: ANY },
  async (ctx, input) => {
    checkPolicyName(input.policyName);
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    return { policy: key.policy ?? defaultPolicy(ctx.config.accountId), policyName: POLICY_NAME };
  },
);
