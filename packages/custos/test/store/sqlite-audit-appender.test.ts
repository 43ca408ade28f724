// The audit worker's prepared-statement append path writes the same chain as the service's appendBatch.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as auditLog from '../../src/service/audit/audit-log.js';
import { chainEntries } from '../../src/service/audit/chain.js';
import { openSqliteAuditAppender, openSqliteStore, type Store } from '../../src/store/index.js';
import * as repo from '../../src/store/repositories/index.js';
import type { AuditEntry } from '../../src/store/types.js';
import { withRowKey } from '../helpers/row-key.js';
import { TEST_CHAIN_KEY } from '../helpers/audit.js';

const entry = (i: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  time: new Date(1_700_000_000_000 + i),
  principal: `p${i}`,
  operation: 'Encrypt',
  keyId: i % 2 ? '1234abcd-12ab-34cd-56ef-1234567890ab' : null,
  keyVersion: i % 2 ? i : null,
  outcome: i % 3 ? 'allowed' : 'failed',
  errorCode: i % 3 ? null : 'KEY_NOT_FOUND',
  requestId: `r${i}`,
  details: i % 2 ? { b: 1, a: [i] } : null,
  ...extra,
});

describe('openSqliteAuditAppender', () => {
  let dir: string;
  let file: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-appender-'));
    file = join(dir, 'custos.db');
    store = withRowKey(await openSqliteStore(file));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('continues the chain of the repository path, with the same records', async () => {
    await store.transaction((tx) => auditLog.appendBatch(tx, [entry(0), entry(1)], TEST_CHAIN_KEY));
    const appender = openSqliteAuditAppender(file);
    appender.append((head) => chainEntries(head, [entry(2), entry(3), entry(4)], TEST_CHAIN_KEY));
    appender.close();
    await store.transaction((tx) => auditLog.appendBatch(tx, [entry(5)], TEST_CHAIN_KEY));

    expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 6 });
    const records = await repo.audit.list(store.db, { limit: 10 });
    expect(records.map((r) => r.requestId)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    for (const [i, record] of records.entries()) {
      const { time, principal, operation, keyId, keyVersion, outcome, errorCode, details } = entry(i);
      expect(record).toMatchObject({ time, principal, operation, keyId, keyVersion, outcome, errorCode, details });
    }
  });

  it('writes nothing of a batch that fails part way', async () => {
    const appender = openSqliteAuditAppender(file);
    appender.append((head) => chainEntries(head, [entry(0)], TEST_CHAIN_KEY));
    const bad = entry(2, { principal: null as unknown as string }); // NOT NULL
    expect(() => {
      appender.append((head) => chainEntries(head, [entry(1), bad], TEST_CHAIN_KEY));
    }).toThrow(/NOT NULL/);
    appender.close();
    expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 1 });
  });

  it('waits for the write lock another connection holds, then appends', async () => {
    // Another thread takes the write lock and keeps it 300 ms: with busy_timeout 0 and no retry, append would throw
    // SQLITE_BUSY at once.
    const holder = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const Database = require(Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-13' : 'better-sqlite3');
       const db = new Database(workerData);
       db.exec('begin immediate');
       parentPort.postMessage('locked');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
       db.exec('commit');
       db.close();`,
      { eval: true, workerData: file },
    );
    await new Promise((resolve) => holder.once('message', resolve));
    const appender = openSqliteAuditAppender(file);
    const started = Date.now();
    appender.append((head) => chainEntries(head, [entry(0)], TEST_CHAIN_KEY));
    const waited = Date.now() - started;
    appender.close();
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(waited).toBeGreaterThan(100); // it did wait for the holder (not a speed assertion: a lower bound)
    expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 1 });
  });

  it('fails at open on a database without the audit table', () => {
    expect(() => openSqliteAuditAppender(join(dir, 'empty.db'))).toThrow(/no such table: audit_log/);
  });
});
