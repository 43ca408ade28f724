// The rows a root-key rotation re-wraps: every column wrapped by the root of trust, listed once per table in
// WRAPPED_COLUMNS, so that a new wrapped column (a custom key store's PIN) is one more entry. Each row names the root
// key that wrapped it (`root_kcv`, migration 008). Must not import service or api.
import type { AnyKysely } from '../dialect.js';
import type { AuthenticatedTable } from '../integrity-columns.js';
import type { Db } from '../store.js';
import { updateRow } from './authenticated.js';
import { bytes, num } from './convert.js';

/** One wrapped column: its table, the columns naming a row, and the additional data it was wrapped with. */
export interface WrappedColumn {
  readonly table: AuthenticatedTable & ('key_versions' | 'access_keys' | 'import_tokens' | 'custom_key_stores');
  readonly column: string;
  readonly key: readonly string[];
  /** More columns the additional data needs, qualified (`keys.spec`: the joined key's spec). */
  readonly extra?: readonly string[];
  /** The key versions' keys, for their spec. */
  readonly joinKeys?: boolean;
  /** The additional data of a row's wrap, from its key and extra columns (by their bare names). */
  readonly aad: (row: RewrapRow) => Uint8Array;
}

/** A row to re-wrap: its key columns, `spec` where joined, and the wrapped bytes. */
export interface RewrapRow {
  readonly columns: Readonly<Record<string, string | number>>;
  readonly wrapped: Uint8Array;
}

/** `(root_kcv is null or root_kcv <> kcv) and <column> is not null`: wrapped under some other root. */
function pending(db: AnyKysely, target: WrappedColumn, kcv: string) {
  return db
    .selectFrom(target.table)
    .where(target.column, 'is not', null)
    .where((eb) => eb.or([eb(`${target.table}.root_kcv`, 'is', null), eb(`${target.table}.root_kcv`, '<>', kcv)]));
}

/** How many rows of `target` are not yet wrapped under the root `kcv`. */
export async function countPending(db: Db, target: WrappedColumn, kcv: string): Promise<number> {
  const row = await pending(db, target, kcv)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return num(row.n);
}

/** Up to `limit` rows of `target` not yet wrapped under the root `kcv` (key versions with their key's spec). */
export async function listPending(db: Db, target: WrappedColumn, kcv: string, limit: number): Promise<RewrapRow[]> {
  const anyDb: AnyKysely = db;
  let query = pending(anyDb, target, kcv);
  if (target.joinKeys === true) query = query.innerJoin('keys', 'keys.id', `${target.table}.key_id`);
  const extra = target.extra ?? [];
  const columns = [...target.key.map((c) => `${target.table}.${c}`), ...extra, `${target.table}.${target.column}`];
  for (const c of target.key) query = query.orderBy(`${target.table}.${c}`);
  const rows = (await query.select(columns).limit(limit).execute()) as Record<string, unknown>[];
  return rows.map((row) => {
    const out: Record<string, string | number> = {};
    for (const c of [...target.key, ...extra.map((e) => e.slice(e.indexOf('.') + 1))]) {
      const value = row[c];
      if (typeof value === 'string' || typeof value === 'number') out[c] = value;
      else if (typeof value === 'bigint') out[c] = Number(value);
    }
    return { columns: out, wrapped: bytes(row[target.column] as Uint8Array) };
  });
}

/**
 * Replaces a row's wrapped bytes with `rewrapped` (under the root `kcv`), compare-and-set: only if the row still
 * holds `wrapped` (a concurrent change wins; the row is listed again). Resolves to whether it was written.
 */
export function setRewrapped(
  db: Db,
  target: WrappedColumn,
  row: RewrapRow,
  rewrapped: Uint8Array,
  kcv: string,
): Promise<boolean> {
  const key = Object.fromEntries(target.key.map((c) => [c, row.columns[c] ?? '']));
  return updateRow(db, target.table, key, (stored) => {
    const current = stored[target.column];
    if (!(current instanceof Uint8Array) || !Buffer.from(current).equals(Buffer.from(row.wrapped))) return null;
    return { [target.column]: rewrapped, root_kcv: kcv };
  });
}
