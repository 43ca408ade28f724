// A cold key's read on SQLite (keys.getWithLatestVersion) runs one prepared statement on the store's connection
// without Kysely: the same records, the same row MAC checks, and never a transaction's uncommitted writes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keys, keyVersions, openSqliteStore, RowIntegrityError, type Store } from '../../src/store/index.js';
import { keyRecord, keyVersionRecord } from '../helpers/key-records.js';
import { withRowKey } from '../helpers/row-key.js';

describe('keys.getWithLatestVersion on SQLite', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-direct-'));
    store = withRowKey(await openSqliteStore(join(dir, 'custos.db')));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function insertKey() {
    const key = keyRecord({ latestVersion: 2 });
    await store.transaction(async (tx) => {
      await keys.insert(tx, key);
      await keyVersions.insert(tx, keyVersionRecord(key.id, 1));
      await keyVersions.insert(tx, keyVersionRecord(key.id, 2));
    });
    return key;
  }

  it('reads the key and its latest version as the repositories read them', async () => {
    const key = await insertKey();
    const found = await keys.getWithLatestVersion(store.db, key.id);
    expect(found?.key).toEqual(await keys.get(store.db, key.id));
    expect(found?.version).toEqual(await keyVersions.get(store.db, key.id, 2));
    expect(await keys.getWithLatestVersion(store.db, 'no-such-key')).toBeUndefined();
  });

  it("checks both rows' MACs", async () => {
    const key = await insertKey();
    await sql`update keys set description = 'edited' where id = ${key.id}`.execute(store.db);
    await expect(keys.getWithLatestVersion(store.db, key.id)).rejects.toBeInstanceOf(RowIntegrityError);
    const other = await insertKey();
    await sql`update key_versions set rotation_type = 'IMPORTED' where key_id = ${other.id}`.execute(store.db);
    await expect(keys.getWithLatestVersion(store.db, other.id)).rejects.toBeInstanceOf(RowIntegrityError);
  });

  it("does not see an open transaction's uncommitted key, which rolls back", async () => {
    const key = keyRecord({ latestVersion: 1 });
    let inserted!: () => void;
    let release!: () => void;
    const insertedP = new Promise<void>((resolve) => (inserted = resolve));
    const releaseP = new Promise<void>((resolve) => (release = resolve));
    const tx = store
      .transaction(async (t) => {
        await keys.insert(t, key);
        await keyVersions.insert(t, keyVersionRecord(key.id, 1));
        inserted();
        await releaseP;
        throw new Error('rolled back');
      })
      .catch((error: unknown) => error);
    await insertedP;
    // Read while the transaction holds the connection: it waits for the transaction's end (Kysely's way).
    const read = keys.getWithLatestVersion(store.db, key.id);
    release();
    expect(await tx).toEqual(new Error('rolled back'));
    expect(await read).toBeUndefined();
  });
});
