// Reading and changing authenticated rows (store/integrity.ts): every read checks the row's MAC, every write
// recomputes it from the whole row as it will be, and an update applies only to the row it read (compare-and-set
// on the MAC), so a concurrent change is never overwritten with a MAC over stale columns.
// Must not import service or api.
import { InternalError } from '@custos/contract';
import type { AnyKysely } from '../dialect.js';
import type { AuthenticatedRow, AuthenticatedTable } from '../integrity-columns.js';
import { rowIntegrity } from '../integrity.js';
import type { Db } from '../store.js';

/** How often an update re-reads a row another writer changed under it before giving up (INTERNAL). */
const MAX_ATTEMPTS = 50;

/** A stored row: its columns and its MAC. */
type StoredRow = Record<string, unknown> & { row_mac: string | null };

/** The columns identifying one row, e.g. `{ id }` or `{ key_id, version }`. */
type RowKey = Readonly<Record<string, string | number>>;

const describe = (key: RowKey): string => Object.values(key).join('/');

/**
 * Checks the MAC of a row read by other means (a list, a join), as `table`; throws RowIntegrityError.
 * @example rows.map((row) => checkRow(db, 'keys', row.id, row))
 */
export function checkRow<T extends AuthenticatedTable, R extends AuthenticatedRow<T> & { row_mac: string | null }>(
  db: Db,
  table: T,
  rowId: string,
  row: R,
): R {
  rowIntegrity(db).check(table, rowId, row, row.row_mac);
  return row;
}

/** The row with its MAC set, for an insert. */
export function withMac<T extends AuthenticatedTable, R extends AuthenticatedRow<T>>(
  db: Db,
  table: T,
  row: R,
): R & { row_mac: string } {
  return { ...row, row_mac: rowIntegrity(db).mac(table, row) };
}

/**
 * Changes one authenticated row: reads it (checking its MAC), asks `change` for the columns to write given the row
 * as stored (null: write nothing), and writes them with the new MAC, only if the row still has the MAC it was read
 * with; otherwise reads again. Resolves to false when the row does not exist or `change` returned null.
 * @example await updateRow(tx, 'aliases', { name }, () => ({ key_id: keyId, updated_at: ms(now) }));
 */
export async function updateRow(
  db: Db,
  table: AuthenticatedTable,
  key: RowKey,
  change: (row: StoredRow) => Record<string, unknown> | null,
): Promise<boolean> {
  // Table and column names come from the caller at run time: the untyped handle, as paging does.
  const anyDb: AnyKysely = db;
  const integrity = rowIntegrity(db);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let select = anyDb.selectFrom(table).selectAll();
    for (const [column, value] of Object.entries(key)) select = select.where(column, '=', value);
    const row = (await select.executeTakeFirst()) as StoredRow | undefined;
    if (row === undefined) return false;
    integrity.check(table, describe(key), row as AuthenticatedRow<typeof table>, row.row_mac);
    const columns = change(row);
    if (columns === null) return false;
    const rowMac = integrity.mac(table, { ...row, ...columns } as AuthenticatedRow<typeof table>);
    const values: Record<string, unknown> = { ...columns, row_mac: rowMac };
    let update = anyDb
      .updateTable(table as string)
      .set(values)
      .where('row_mac', '=', row.row_mac);
    for (const [column, value] of Object.entries(key)) update = update.where(column, '=', value);
    const result = await update.executeTakeFirst();
    if (result.numUpdatedRows > 0n) return true;
  }
  throw new InternalError(`${table} ${describe(key)} kept changing while being updated`);
}
