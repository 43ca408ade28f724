// Usage counts through the SQLite audit worker (AuditSink.addUsage): written in the worker's audit transactions, a
// chunk at a time, never in a transaction of the event loop's; counts that cannot be written fail neither the records
// committed beside them nor the other chunks, and the recorder keeps them for its next flush.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageRecorder } from '../../../src/service/usage/recorder.js';
import { openSqliteStore, type Store } from '../../../src/store/index.js';
import * as repo from '../../../src/store/repositories/index.js';
import type { AuditEntry } from '../../../src/store/types.js';
import { keyRecord, keyVersionRecord } from '../../helpers/key-records.js';
import { withRowKey } from '../../helpers/row-key.js';

/** The audit worker and LocalKms's use of it run from the compiled package only. */
const DIST = new URL('../../../dist/', import.meta.url);
const built = existsSync(new URL('service/audit/worker-sink.js', DIST));
const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

const record = (keyId: string): AuditEntry => ({
  time: new Date(),
  principal: 'p',
  operation: 'Encrypt',
  keyId,
  keyVersion: 1,
  outcome: 'allowed',
  errorCode: null,
  requestId: randomUUID(),
  details: null,
});

describe.skipIf(!built)('usage counts through the SQLite audit worker', () => {
  let dir: string;
  let store: Store;
  let workerSink: typeof import('../../../src/service/audit/worker-sink.js').workerSink;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-usage-worker-'));
    store = withRowKey(await openSqliteStore(join(dir, 'custos.db')));
    ({ workerSink } = (await import(new URL('service/audit/worker-sink.js', DIST).href)) as {
      workerSink: typeof workerSink;
    });
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function newKey(): Promise<string> {
    const keyId = randomUUID();
    await repo.keys.insert(store.db, keyRecord({ id: keyId }));
    await repo.keyVersions.insert(store.db, keyVersionRecord(keyId, 1));
    return keyId;
  }
  const counts = async (keyId: string) =>
    (await repo.keyUsage.forKey(store.db, keyId)).map((u) => [u.operation, u.count, u.lastUsedAt.getTime()]);

  it('adds every count, in chunks, and adds to the rows on the next flush', async () => {
    const sink = await workerSink(join(dir, 'custos.db'), new Uint8Array(32).fill(7));
    try {
      const ids = await Promise.all(Array.from({ length: 70 }, () => newKey())); // 140 counts: five chunks
      const recorder = new UsageRecorder(store, silent, 0, (usage) => sink.addUsage!(usage));
      for (const id of ids) {
        recorder.record(id, 1, 'Encrypt', new Date(1_000));
        recorder.record(id, 1, 'Encrypt', new Date(3_000));
        recorder.record(id, 1, 'Decrypt', new Date(2_000));
      }
      await recorder.flush();
      for (const id of ids)
        expect(await counts(id)).toEqual([
          ['Decrypt', 1, 2_000],
          ['Encrypt', 2, 3_000],
        ]);
      recorder.record(ids[0]!, 1, 'Encrypt', new Date(2_500)); // earlier than the row's last use: the row keeps its
      await recorder.flush();
      expect(await counts(ids[0]!)).toEqual([
        ['Decrypt', 1, 2_000],
        ['Encrypt', 3, 3_000],
      ]);
      expect(recorder.pendingFor(ids[0]!)).toEqual([]);
    } finally {
      await sink.close();
    }
  });

  it('a count the store refuses fails its own chunk only: the records beside it commit, the counts are kept', async () => {
    const sink = await workerSink(join(dir, 'custos.db'), new Uint8Array(32).fill(7));
    try {
      const known = await newKey();
      const unknown = randomUUID(); // no such key: key_usage's foreign key refuses its row
      const before = (await store.db.selectFrom('audit_log').select('seq').execute()).length;
      // Sent together: the worker may put them in one transaction, and the records must commit whatever happens.
      const [committed, added] = await Promise.allSettled([
        sink.commit([record(known), record(known)]),
        sink.addUsage!([
          [known, 1, 'Encrypt', 5, 1_000],
          [unknown, 1, 'Encrypt', 7, 1_000],
        ]),
      ]);
      expect(committed.status).toBe('fulfilled');
      expect(added).toMatchObject({ status: 'rejected', reason: { message: /FOREIGN KEY/ } });
      expect((await store.db.selectFrom('audit_log').select('seq').execute()).length).toBe(before + 2);
      expect(await counts(known)).toEqual([]); // the chunk is all or nothing

      const recorder = new UsageRecorder(store, silent, 0, (usage) => sink.addUsage!(usage));
      recorder.record(unknown, 1, 'Encrypt', new Date(4_000));
      await recorder.flush();
      expect(recorder.pendingFor(unknown)).toMatchObject([{ count: 1 }]);
      // Once the key exists, the next flush writes what was kept, with what came since.
      await repo.keys.insert(store.db, keyRecord({ id: unknown }));
      recorder.record(unknown, 1, 'Encrypt', new Date(5_000));
      await recorder.flush();
      expect(await counts(unknown)).toEqual([['Encrypt', 2, 5_000]]);
      expect(recorder.pendingFor(unknown)).toEqual([]);
    } finally {
      await sink.close();
    }
  });

  it('keeps the counts when the sink is closed', async () => {
    const sink = await workerSink(join(dir, 'custos.db'), new Uint8Array(32).fill(7));
    await sink.close();
    const keyId = await newKey();
    const recorder = new UsageRecorder(store, silent, 0, (usage) => sink.addUsage!(usage));
    recorder.record(keyId, 1, 'Sign', new Date(1_000));
    await recorder.flush();
    expect(await counts(keyId)).toEqual([]);
    expect(recorder.pendingFor(keyId)).toMatchObject([{ operation: 'Sign', count: 1 }]);
  });

  it('LocalKms from the compiled package (its audit worker on) keeps the counts across a restart', async () => {
    const { LocalKms } = (await import(
      new URL('service/local-kms.js', DIST).href
    )) as typeof import('../../../src/service/local-kms.js');
    const dataDir = join(dir, 'kms');
    const config = { usageFlushIntervalMs: 0 };
    let kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0, config, logger: silent });
    const { keyMetadata } = await kms.createKey({});
    const keyId = keyMetadata.keyId;
    for (let i = 0; i < 3; i++) await kms.encrypt({ keyId, plaintext: new Uint8Array([i]) });
    await kms.close();
    kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0, config, logger: silent });
    try {
      expect((await kms.getKeyUsage({ keyId })).usage).toMatchObject([
        { keyVersion: 1, operation: 'Encrypt', count: 3 },
      ]);
    } finally {
      await kms.close();
    }
  });
});
