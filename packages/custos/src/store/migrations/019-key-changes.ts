// Migration 019: a change feed for the key caches (issue 17, keys at scale), written by triggers in the same
// transaction as the change, so no writer (another worker, another node, a crashed one, an operator's SQL) can
// change what a cache holds without its processes learning of it.
//
// - SQLite: the table `key_changes` (seq, key_id, changed_at) that every process polls (store/sqlite-cluster.ts). Its
//   seq is AUTOINCREMENT on a one-writer database, so the committed rows run without gaps but for pruning.
// - PostgreSQL: the triggers NOTIFY `custos_key_changes` with `<schema>/<key id>`, delivered at commit and only then
//   (store/postgres.ts listens); no table.
//
// What the cache holds comes from keys, key_versions, grants and aliases. The counters updated on the request path
// are left out, or every use would make the key cold: keys.use_count (maxUses) and key_versions.encryption_count, with
// the row_mac that changes with them. A column added to keys or key_versions later must be added to its trigger
// (test/store/key-changes.test.ts updates every column and fails on one left out). Must not import service, api or
// the schema types: a released migration is never edited.
import { sql, type Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** Every column of keys as of this migration but use_count and row_mac. */
const KEY_COLUMNS = [
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
  'material_expires_at',
  'application_id',
  'reference_id',
  'policy',
  'publish_jwk',
  'pin_protected',
  'public_key_only',
  'min_decryption_version',
  'trim_floor',
  'trim_date',
];

/** Every column of key_versions as of this migration but encryption_count and row_mac. */
const VERSION_COLUMNS = [
  'key_id',
  'version',
  'wrapped_material',
  'public_key',
  'created_at',
  'rotation_type',
  'material_check',
  'custom_key_store_id',
  'token_object_id',
  'root_kcv',
  'wrapping_key_id',
];

/** Table, the events that fire, and the column naming the key. */
const TRIGGERS: readonly (readonly [table: string, events: string, keyColumn: string])[] = [
  ['keys', `update of ${KEY_COLUMNS.join(', ')}`, 'id'],
  ['keys', 'delete', 'id'],
  ['key_versions', 'insert', 'key_id'],
  ['key_versions', `update of ${VERSION_COLUMNS.join(', ')}`, 'key_id'],
  ['key_versions', 'delete', 'key_id'],
  ['grants', 'insert', 'key_id'],
  ['grants', 'update', 'key_id'],
  ['grants', 'delete', 'key_id'],
  ['aliases', 'update', 'key_id'],
  ['aliases', 'delete', 'key_id'],
];

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`create table key_changes (
      seq integer primary key autoincrement,
      key_id text not null,
      changed_at integer not null default (cast(strftime('%s', 'now') as integer))
    )`.execute(db);
    await sql`create index key_changes_changed_at_idx on key_changes (changed_at)`.execute(db);
    for (const [table, events, column] of TRIGGERS) {
      // An alias moved to another key: the cache drops every alias on any key's change, so either key would do.
      const row = events === 'delete' || table === 'aliases' ? 'old' : 'new';
      await sql
        .raw(
          `create trigger ${name(table, events)} after ${events} on ${table} ` +
            `begin insert into key_changes (key_id) values (${row}.${column}); end`,
        )
        .execute(db);
    }
    return;
  }
  // pg_notify in a trigger is transactional: sent when the transaction commits, never when it rolls back.
  await sql`create function custos_key_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('custos_key_changes', tg_table_schema || '/' ||
        ((case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end) ->> tg_argv[0]));
      return null;
    end $$`.execute(db);
  for (const [table, events, column] of TRIGGERS) {
    await sql
      .raw(
        `create trigger ${name(table, events)} after ${events} on ${table} ` +
          `for each row execute function custos_key_changed('${column}')`,
      )
      .execute(db);
  }
}

function name(table: string, events: string): string {
  return `${table}_${events.split(' ')[0] ?? events}_changes`;
}
