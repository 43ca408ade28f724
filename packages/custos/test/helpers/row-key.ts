// Stores opened directly by tests (not through LocalKms) need a row key before they read or write authenticated
// rows; LocalKms derives it from the root of trust.
import { sql, type Kysely } from 'kysely';
import type { KeyRecord, Store } from '../../src/store/index.js';
import { keyRecord } from './key-records.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a handle on a database of an older schema
type AnyKysely = Kysely<any>;

/** A fixed row key for tests: any 32 bytes serve. */
const TEST_ROW_KEY = new Uint8Array(32).fill(7);

/** The store, with the test row key installed. */
export function withRowKey<S extends Store>(store: S): S {
  store.integrity.setKey(TEST_ROW_KEY);
  return store;
}

/**
 * A key row as a release before migration 005 wrote it (no row_mac): a Disabled AES key, created and updated at
 * `at`. For the tests that migrate such a store.
 */
export async function insertLegacyKeyRow(db: AnyKysely, id: string, at: Date): Promise<void> {
  await sql`insert into keys (id, spec, usage, state, origin, protection_level, description, exportable, created_at,
    updated_at, latest_version, rotation_enabled, use_count)
    values (${id}, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'Disabled', 'AWS_KMS', 'SOFTWARE', 'legacy', 0,
    ${at.getTime()}, ${at.getTime()}, 1, 0, 0)`.execute(db);
}

/** The KeyRecord `insertLegacyKeyRow` wrote. */
export function legacyKeyRecord(id: string, at: Date): KeyRecord {
  return keyRecord({ id, state: 'Disabled', description: 'legacy', createdAt: at, updatedAt: at, latestVersion: 1 });
}
