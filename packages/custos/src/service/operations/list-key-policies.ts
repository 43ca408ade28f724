// ListKeyPolicies: the names of a key's policies. Like AWS KMS, a key has exactly one, `default`.
// Must not import api.
import { listKeyPoliciesOperation, ValidationError } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { ANY } from '../lifecycle.js';
import { POLICY_NAME } from './get-key-policy.js';

export const listKeyPolicies = defineOperation(
  listKeyPoliciesOperation,
  { access: 'read', states: ANY },
  async (ctx, input) => {
    // One name: no marker is ever handed out, so any marker is one this server did not make.
    if (input.marker !== undefined) throw new ValidationError('invalid marker', 'INVALID_MARKER');
    await loadKey(ctx, ctx.store.db, input.keyId);
    return { policyNames: [POLICY_NAME], truncated: false };
  },
);
