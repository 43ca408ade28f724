// Establishing row integrity on a store migrated from a release without row MACs: every authenticated row gets
// its MAC, once. Must not import service or api; the service decides when (service/integrity/establish.ts).
import type { AnyKysely } from '../dialect.js';
import { AUTHENTICATED_COLUMNS, type AuthenticatedRow, type AuthenticatedTable } from '../integrity-columns.js';
import { rowIntegrity } from '../integrity.js';
import type { Db } from '../store.js';

/** Rows read and rewritten per query while establishing. */
const BATCH = 500;

/** Each authenticated table's primary key columns, for a stable order while paging. */
const PRIMARY_KEYS: Readonly<Record<AuthenticatedTable, readonly string[]>> = {
  keys: ['id'],
  key_versions: ['key_id', 'version'],
  aliases: ['name'],
  api_tokens: ['id'],
  access_keys: ['id'],
  import_tokens: ['id'],
  key_certificates: ['key_id'],
  trusted_certificates: ['id'],
  custom_key_stores: ['id'],
  attestation_identity: ['id'],
  keyring_policies: ['application_id'],
  keyring_keys: ['id'],
  grants: ['id'],
  key_pins: ['key_id'],
};

/**
 * Writes the MAC of every row of every authenticated table, first replacing each API token's stored SHA-256
 * with `rehashToken(sha256)` (the keyed hash tokens are looked up by from now on). Returns the rows done per
 * table. Run once, inside the transaction that records that integrity is established.
 */
export async function establishRowMacs(
  db: Db,
  rehashToken: (sha256Hex: string) => string,
): Promise<Record<AuthenticatedTable, number>> {
  const anyDb: AnyKysely = db;
  const integrity = rowIntegrity(db);
  const done = {} as Record<AuthenticatedTable, number>;
  for (const table of Object.keys(AUTHENTICATED_COLUMNS) as AuthenticatedTable[]) {
    const keyColumns = PRIMARY_KEYS[table];
    let count = 0;
    for (let offset = 0; ; offset += BATCH) {
      let select = anyDb.selectFrom(table).selectAll();
      for (const column of keyColumns) select = select.orderBy(column);
      const rows = (await select.limit(BATCH).offset(offset).execute()) as Record<string, unknown>[];
      for (const row of rows) {
        const changes: Record<string, unknown> =
          table === 'api_tokens' ? { token_hash: rehashToken(String(row.token_hash)) } : {};
        const next = { ...row, ...changes };
        let update = anyDb
          .updateTable(table)
          .set({ ...changes, row_mac: integrity.mac(table, next as AuthenticatedRow<typeof table>) });
        for (const column of keyColumns) update = update.where(column, '=', row[column]);
        await update.execute();
      }
      count += rows.length;
      if (rows.length < BATCH) break;
    }
    done[table] = count;
  }
  return done;
}

/** Whether the audit log holds records chained with the root-derived key (written only after establishment). */
export async function hasKeyedAuditRecords(db: Db): Promise<boolean> {
  const row = await db.selectFrom('audit_log').select('seq').where('chain', '=', 2).limit(1).executeTakeFirst();
  return row !== undefined;
}
