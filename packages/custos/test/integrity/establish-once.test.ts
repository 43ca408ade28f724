// Row integrity is established once: deleting its marker from the database does not get a later start to
// authenticate rows that may have been edited since, because keyed audit records show it was established before.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { openTestKms, type TestKms } from '../service/helpers.js';

describe('establishing row integrity', () => {
  let t: TestKms | undefined;
  afterEach(async () => {
    await t?.cleanup().catch(() => undefined);
    t = undefined;
  });

  it('refuses to establish a second time when the marker is deleted but keyed audit records exist', async () => {
    t = await openTestKms();
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    await t.kms.disableKey({ keyId });
    await t.kms.close();
    // Someone with the database re-enables the key and deletes the marker, hoping the next start MACs the row.
    const db = new (sqliteDriver())(join(t.dir, 'custos.db'));
    try {
      db.prepare(`update keys set state = 'Enabled', row_mac = null where id = ?`).run(keyId);
      db.prepare(`delete from meta where key = 'row_integrity'`).run();
    } finally {
      db.close();
    }
    await expect(t.reopen()).rejects.toThrow(/marker is gone/);
    // Nothing was blessed: the row still has no MAC.
    const after = new (sqliteDriver())(join(t.dir, 'custos.db'), { readonly: true });
    try {
      expect(after.prepare('select row_mac from keys where id = ?').get(keyId)).toEqual({ row_mac: null });
    } finally {
      after.close();
    }
  });
});
