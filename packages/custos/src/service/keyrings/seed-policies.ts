// SeedKeyringPolicies (internal, the first start after migration 012): MOSIP's default keyring policies, once,
// audited, recorded in meta so that a policy an operator deletes stays deleted. Must not import api.
import { lockInTransaction } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import type { Db } from '../../store/index.js';
import { defineInternalOperation } from '../define-operation.js';
import { ANY_CALLER, DEFAULT_KEYRING_POLICIES } from './policies.js';

/** The meta key recording that the default policies were seeded. */
const SEEDED_MARKER = 'keyring_policies_seeded';

/** Whether the defaults were seeded already (the usual case after the first start). */
export async function keyringPoliciesSeeded(db: Db): Promise<boolean> {
  return (await repo.meta.get(db, SEEDED_MARKER)) !== undefined;
}

export const seedKeyringPolicies = defineInternalOperation(
  'SeedKeyringPolicies',
  { access: 'manage', states: null },
  async (ctx, _input: Record<string, never>): Promise<void> => {
    await ctx.transaction(async (tx) => {
      // Nodes starting together on one PostgreSQL database: one seeds, the others then see the marker.
      await lockInTransaction(tx, 'keyring-policies-seed');
      if (await keyringPoliciesSeeded(tx)) return;
      const now = ctx.now();
      for (const [applicationId, validityDays, preExpireDays] of DEFAULT_KEYRING_POLICIES) {
        if (await repo.keyringPolicies.get(tx, applicationId)) continue;
        await repo.keyringPolicies.put(
          tx,
          { applicationId, validityDays, preExpireDays, active: true, accessAllowed: ANY_CALLER },
          now,
        );
      }
      await repo.meta.set(tx, SEEDED_MARKER, 'v1');
      ctx.audit.details = { policies: DEFAULT_KEYRING_POLICIES.map(([applicationId]) => applicationId) };
    });
  },
);
