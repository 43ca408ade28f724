// Renewal of keyring keys by the maintenance job: a keyring whose newest key is past expiry − preExpireDays gets its
// next key now, through the same generation as a first use (ensureLevel), so a key made meanwhile by a caller or by
// another node is found, not doubled. Must not import api.
import * as repo from '../../store/repositories/index.js';
import type { KeyringKeyKind } from '../../store/types.js';
import type { ServiceContext } from '../context.js';
import { defineInternalOperation } from '../define-operation.js';
import { currentGeneration } from './current.js';
import { ensureLevel } from './generate.js';
import { levelOf, validityPolicy, type Ring } from './rings.js';

/** Parents before children: a renewed Module key is then current when its Base keys are renewed. */
const ORDER: readonly KeyringKeyKind[] = ['ROOT', 'MASTER', 'BASE'];

/** The keyrings (with an active policy) that have had keys and have no current one now, parents first. */
export async function dueKeyrings(ctx: ServiceContext): Promise<Ring[]> {
  const db = ctx.store.db;
  const now = ctx.now();
  const due: Ring[] = [];
  for (const kind of ORDER) {
    const seen = new Set<string>();
    for (const entry of await repo.keyringKeys.ofKind(db, kind)) {
      const name = `${entry.applicationId}/${entry.referenceId}`;
      if (seen.has(name)) continue;
      seen.add(name);
      const ring: Ring = { applicationId: entry.applicationId, referenceId: entry.referenceId };
      const policy = await repo.keyringPolicies.get(db, ring.applicationId);
      if (!policy?.active) continue;
      const { preExpireDays } = await validityPolicy(db, ring);
      if (!(await currentGeneration(db, ring, [levelOf(ring)], preExpireDays, now))) due.push(ring);
    }
  }
  return due;
}

/** RenewKeyringKey (internal, maintenance): the keyring's next key, unless one is current already. */
export const renewKeyringKey = defineInternalOperation(
  'RenewKeyringKey',
  { access: 'manage', states: null },
  async (ctx, ring: Ring): Promise<string> => {
    ctx.audit.details = { applicationId: ring.applicationId, referenceId: ring.referenceId };
    const level = await ensureLevel(ctx, ring);
    ctx.audit.keyId = level.key.id;
    return level.key.id;
  },
);
