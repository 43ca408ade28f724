// EstablishRowIntegrity (internal, the first start after migration 005): gives every existing row its MAC and
// every token its keyed hash, once, and records that it happened. Must not import api.
//
// Trust on upgrade: the rows are authenticated as they are at that moment. The marker (`meta.row_integrity`) is
// not itself authenticated, so a database writer who deletes it would get the next start to bless rows they
// edited — unless the log shows integrity was already established: keyed audit records exist only afterwards,
// so their presence refuses a second establishment, and deleting them is caught by the audit checkpoints kept
// outside the database. docs/threat-model.md states the residual risk.
import { InternalError } from '@custos/contract';
import { lockInTransaction, type Db } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import { defineInternalOperation } from '../define-operation.js';

/** The meta key recording that every authenticated row has its MAC (value: the MAC format, 'v1'). */
const ROW_INTEGRITY_MARKER = 'row_integrity';

/** Whether the store's rows are already authenticated (the usual case: a store made by this release, or upgraded). */
export async function rowIntegrityEstablished(db: Db): Promise<boolean> {
  return (await repo.meta.get(db, ROW_INTEGRITY_MARKER)) !== undefined;
}

export const establishRowIntegrity = defineInternalOperation(
  'EstablishRowIntegrity',
  { access: 'manage', states: null },
  async (ctx, _input: Record<string, never>): Promise<boolean> => {
    // With its audit record, in one transaction (the record says how many rows of each table were authenticated).
    const rows = await ctx.transaction(async (tx) => {
      // Nodes starting together on one PostgreSQL database: one establishes, the others then see the marker.
      await lockInTransaction(tx, 'row-integrity');
      if (await rowIntegrityEstablished(tx)) return null;
      if (await repo.integrity.hasKeyedAuditRecords(tx)) {
        throw new InternalError(
          'row integrity was established before, but its marker is gone from the database: refusing to authenticate rows that may have been edited since (see docs/threat-model.md)',
        );
      }
      const done = await repo.integrity.establishRowMacs(tx, (digest) => ctx.tokenHasher.stored(digest));
      await repo.meta.set(tx, ROW_INTEGRITY_MARKER, 'v1');
      ctx.audit.details = { rows: done };
      return done;
    });
    return rows !== null;
  },
);
