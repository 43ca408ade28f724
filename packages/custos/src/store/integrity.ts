// Row integrity: every row that governs access carries a MAC (`row_mac`) of its authenticated columns, under a key
// derived from the root of trust, checked on every read and recomputed on every write (DESIGN: storage is
// untrusted). Must not import service, keystore or api: the service hands the key in (`setKey`).
//
// MAC format, version 1 (a released format is never edited):
//   row_mac = "m1." + base64url(HMAC-SHA-256(key, JSON.stringify([table, [column, value], ...])))
// over the table's authenticated columns in the order of AUTHENTICATED_COLUMNS, each value as text: NULL stays
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
import type { Database } from './schema/index.js';

/**
 * The authenticated columns of each table, in MAC order. Left out, on purpose: counters a hot path bumps with SQL
 * arithmetic (`key_versions.encryption_count`), the last-use times of credentials (`last_used_at`), which decide
 * nothing, and the usage telemetry of keys (`key_usage`, migration 016): every process adds to its counts with SQL
 * arithmetic; a forged row can only make DeleteKey's recent-use refusal (a safety warning, overridable with force)
 * fire or not — maxUses is enforced on the authenticated `keys.use_count`, never on these rows. A column added to a table is unauthenticated until it is added here (with a new MAC version).
 */
export const AUTHENTICATED_COLUMNS = {
  keys: [
    'id',
    'spec',
    'usage',
    'state',
    'origin',
    'protection_level',
    'description',
    'exportable',
    'created_at',
    'updated_at',
    'deletion_date',
    'pending_window_days',
    'latest_version',
    'rotation_enabled',
    'rotation_period_days',
    'next_rotation_at',
    'allowed_algorithms',
    'not_before',
    'not_after',
    'max_uses',
    'use_count',
    'material_expires_at',
    'application_id',
    'reference_id',
    'policy',
    'trim_date', // migration 016, OMITTED_WHEN_NULL
  ],
  key_versions: [
    'key_id',
    'version',
    'wrapped_material',
    'public_key',
    'created_at',
    'rotation_type',
    'material_check',
    'custom_key_store_id',
    'token_object_id',
    'wrapping_key_id',
  ],
  aliases: ['name', 'key_id', 'created_at', 'updated_at'],
  api_tokens: [
    'id',
    'principal',
    'roles',
    'token_hash',
    'description',
    'created_at',
    'expires_at',
    'revoked_at',
    'tags',
  ],
  access_keys: ['id', 'principal', 'roles', 'wrapped_secret', 'description', 'created_at', 'revoked_at', 'tags'],
  import_tokens: [
    'id',
    'key_id',
    'wrapping_key_spec',
    'wrapping_algorithm',
    'wrapped_private_key',
    'public_key',
    'created_at',
    'expires_at',
  ],
  key_certificates: ['key_id', 'key_version', 'chain', 'created_at', 'updated_at'],
  trusted_certificates: [
    'id',
    'domain',
    'thumbprint',
    'subject',
    'issuer',
    'not_before',
    'not_after',
    'certificate',
    'created_at',
  ],
  custom_key_stores: [
    'id',
    'name',
    'token_label',
    'wrapped_pin',
    'trust_anchor',
    'connection_state',
    'connection_error_code',
    'created_at',
  ],
  attestation_identity: ['id', 'public_key', 'chain', 'created_at', 'updated_at'],
  keyring_policies: [
    'application_id',
    'validity_days',
    'pre_expire_days',
    'active',
    'access_allowed',
    'created_at',
    'updated_at',
  ],
  keyring_keys: [
    'id',
    'application_id',
    'reference_id',
    'kind',
    'key_id',
    'certificate',
    'thumbprint',
    'unique_identifier',
    'generated_at',
    'expires_at',
    'created_at',
  ],
  grants: [
    'id',
    'key_id',
    'grantee_principal',
    'retiring_principal',
    'operations',
    'constraints',
    'name',
    'issuing_principal',
    'created_at',
  ],
  key_pins: [
    'key_id',
    'policy',
    'pin_hash',
    'puk_hash',
    'pin_failures',
    'puk_failures',
    'blocked',
    'created_at',
    'updated_at',
  ],
} as const satisfies { [T in keyof Database]?: readonly (keyof Database[T] & string)[] };

export type AuthenticatedTable = keyof typeof AUTHENTICATED_COLUMNS;

/**
 * Columns added to AUTHENTICATED_COLUMNS after migration 005 (`table.column`): in the MAC text only when not NULL,
 * so the MACs of rows written before them stay valid. They are still authenticated: giving a NULL one a value, or
 * NULLing one that had a value, changes the text and fails the MAC.
 */
const OMITTED_WHEN_NULL: ReadonlySet<string> = new Set([
  'key_versions.custom_key_store_id',
  'key_versions.token_object_id',
  'key_versions.wrapping_key_id', // migration 012
  'api_tokens.tags', // migration 013: a principal's tags (aws:PrincipalTag/...)
  'access_keys.tags',
  'keys.trim_date', // migration 016: a scheduled trim of old key versions
]);

/**
 * Authenticated columns added to a table after its rows were MAC'd, with the value (as MAC text) every row held
 * before the column existed: the MAC covers such a column only when it holds another value. Append only.
 */
const LATER_COLUMNS = {
  // 010: /.well-known/jwks.json shows the key; 015: uses need its PIN; 016: the minimum decryption version and trim
  // floor; 017: a public key alone (ImportPublicKey)
  keys: {
    publish_jwk: '0',
    pin_protected: '0',
    min_decryption_version: '1',
    trim_floor: '1',
    public_key_only: '0',
  },
} as const satisfies { [T in AuthenticatedTable]?: Readonly<Partial<Record<keyof Database[T] & string, string>>> };

/** The later columns of a table (none for most). */
type LaterColumn<T extends AuthenticatedTable> = T extends keyof typeof LATER_COLUMNS
  ? keyof (typeof LATER_COLUMNS)[T]
  : never;

/**
 * The column values of a row of `T` that its MAC covers (more columns may be present; they are ignored). A column
 * left out counts as NULL: inserts write every authenticated column, so none is left to a column default.
 */
export type AuthenticatedRow<T extends AuthenticatedTable> = Readonly<
  Partial<Record<(typeof AUTHENTICATED_COLUMNS)[T][number] | LaterColumn<T>, unknown>>
>;

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
