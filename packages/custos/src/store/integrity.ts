// Row integrity: every row that governs access carries a MAC (`row_mac`) of its authenticated columns, under a key
// derived from the root of trust, checked on every read and recomputed on every write (DESIGN: storage is
// untrusted). Must not import service, keystore or api: the service hands the key in (`setKey`).
//
// MAC format, version 1 (a released format is never edited):
//   row_mac = "m1." + base64url(HMAC-SHA-256(key, JSON.stringify([table, [column, value], ...])))
// over the table's authenticated columns in the order of AUTHENTICATED_COLUMNS (integrity-columns.ts), each value as text: NULL stays
// null, bytes become {"b": base64}, numbers and strings their decimal or own text (PostgreSQL returns int8 as a
// string and SQLite as a number: both give the same text). Columns added to a table after its rows were first
// MAC'd (LATER_COLUMNS) follow, each only while it differs from the value rows held before it existed: rows written
// before keep their MAC, and a change to such a column needs a new one (an extension: every earlier MAC still holds).
import { createHmac, timingSafeEqual, type KeyObject, createSecretKey } from 'node:crypto';
import { InternalError } from '@custos/contract';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
} from 'kysely';
import type { UnknownRow } from 'kysely';
import type { AnyKysely } from './dialect.js';
import {
  AUTHENTICATED_COLUMNS,
  LATER_COLUMNS,
  OMITTED_WHEN_NULL,
  type AuthenticatedRow,
  type AuthenticatedTable,
} from './integrity-columns.js';

const MAC_PREFIX = 'm1.';
/** "m1." and 32 bytes in unpadded base64url (43 characters). */
const MAC_LENGTH = MAC_PREFIX.length + 43;

/**
 * Each table's MAC text, planned once: its opening (`["table"`), its columns — each with the text that opens its pair
 * (`,["column",`) and whether it is left out when NULL — then its later ones, with the MAC text of the value rows held
 * before each existed.
 */
interface Plan {
  readonly opening: string;
  readonly columns: readonly (readonly [column: string, pair: string, omittedWhenNull: boolean])[];
  readonly later: readonly (readonly [column: string, pair: string, before: string])[];
}

const PLANS = Object.fromEntries(
  (Object.keys(AUTHENTICATED_COLUMNS) as AuthenticatedTable[]).map((table): [AuthenticatedTable, Plan] => {
    const byTable: Partial<Record<AuthenticatedTable, Readonly<Record<string, string>>>> = LATER_COLUMNS;
    const columns: readonly string[] = AUTHENTICATED_COLUMNS[table];
    const pair = (column: string) => `,[${JSON.stringify(column)},`;
    return [
      table,
      {
        opening: `[${JSON.stringify(table)}`,
        columns: columns.map((column) => [column, pair(column), OMITTED_WHEN_NULL.has(`${table}.${column}`)] as const),
        later: Object.entries(byTable[table] ?? {}).map(
          ([column, before]) => [column, pair(column), JSON.stringify(before)] as const,
        ),
      },
    ];
  }),
) as Record<AuthenticatedTable, Plan>;

/**
 * A stored row failed its MAC (edited, forged, copied from another row, or written without the root of trust).
 * Not a KmsError: the service logs which row, audits the failure and answers INTERNAL.
 */
export class RowIntegrityError extends Error {
  override readonly name = 'RowIntegrityError';
  constructor(
    readonly table: AuthenticatedTable,
    readonly rowId: string,
  ) {
    super(`row integrity check failed: ${table} ${rowId}`);
  }
}

/**
 * One column value as MAC text: JSON of its canonical form (see the format above) — `null`, `{"b":"<base64>"}` for
 * bytes, a JSON string for a string or a number. Written out rather than made into objects for JSON.stringify: it
 * runs for every column of every row read.
 */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `"${String(value)}"`;
  if (value instanceof Uint8Array)
    return `{"b":"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"}`;
  throw new InternalError(`row integrity: a column value of type ${typeof value} cannot be authenticated`);
}

/**
 * Holds the row key and computes and checks row MACs. A Kysely plugin that changes no query: it rides along on
 * the store's handle and every transaction made from it, so a repository finds it from the `db` it is given
 * (`rowIntegrity(db)`).
 */
export class RowIntegrity implements KyselyPlugin {
  #key: KeyObject | undefined;

  /** Installs the row key (derived from the root of trust); the bytes are copied into a KeyObject. */
  setKey(key: Uint8Array): void {
    this.#key = createSecretKey(key);
  }

  /** Forgets the key: reads and writes of authenticated rows fail until `setKey` again (a sealed server). */
  clearKey(): void {
    this.#key = undefined;
  }

  /** The MAC of `row` as a row of `table`. */
  mac<T extends AuthenticatedTable>(table: T, row: AuthenticatedRow<T>): string {
    return MAC_PREFIX + this.#digest(table, row).toString('base64url');
  }

  /** HMAC-SHA-256 of the row's MAC text (the format above), written in one pass over the table's plan. */
  #digest(table: AuthenticatedTable, row: AuthenticatedRow<AuthenticatedTable>): Buffer {
    if (this.#key === undefined) throw new InternalError('the row integrity key is not loaded');
    const values = row as Record<string, unknown>;
    const { opening, columns, later } = PLANS[table];
    let text = opening;
    for (const [column, pair, omittedWhenNull] of columns) {
      const value = valueText(values[column]);
      if (value !== 'null' || !omittedWhenNull) text += `${pair}${value}]`;
    }
    for (const [column, pair, before] of later) {
      const value = valueText(values[column]);
      if (value !== 'null' && value !== before) text += `${pair}${value}]`;
    }
    return createHmac('sha256', this.#key).update(`${text}]`).digest();
  }

  /**
   * Throws RowIntegrityError unless `storedMac` is the MAC of `row` (a NULL MAC fails too). Compares the digests'
   * bytes: the stored text is decoded once, rather than the expected MAC encoded and both copied.
   * @example rowIntegrity(db).check('keys', row.id, row, row.row_mac);
   */
  check<T extends AuthenticatedTable>(
    table: T,
    rowId: string,
    row: AuthenticatedRow<T>,
    storedMac: string | null,
  ): void {
    if (storedMac?.length !== MAC_LENGTH || !storedMac.startsWith(MAC_PREFIX))
      throw new RowIntegrityError(table, rowId);
    const expected = this.#digest(table, row);
    const stored = Buffer.from(storedMac.slice(MAC_PREFIX.length), 'base64url');
    if (stored.length !== expected.length || !timingSafeEqual(stored, expected))
      throw new RowIntegrityError(table, rowId);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** The RowIntegrity of the store `db` belongs to (INTERNAL when the handle was not made by `createStore`). */
export function rowIntegrity(db: AnyKysely): RowIntegrity {
  for (const plugin of db.getExecutor().plugins) if (plugin instanceof RowIntegrity) return plugin;
  throw new InternalError('this database handle has no row integrity (open it through openStore)');
}
