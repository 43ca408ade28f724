// Group commit of audit records, in-process and on the worker thread (the compiled package's path).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as auditLog from '../../../src/service/audit/audit-log.js';
import { AuditWriter } from '../../../src/service/audit/group-commit.js';
import { packEntries, unpackEntries } from '../../../src/service/audit/packed-entries.js';
import { inProcessSink, type AuditSink } from '../../../src/service/audit/worker-sink.js';
import { openSqliteStore, type Store } from '../../../src/store/index.js';
import * as repo from '../../../src/store/repositories/index.js';
import type { AuditEntry } from '../../../src/store/types.js';
import { withRowKey } from '../../helpers/row-key.js';
import { TEST_CHAIN_KEY, testChainKey } from '../../helpers/audit.js';

const DIST_SINK = new URL('../../../dist/service/audit/worker-sink.js', import.meta.url);

const entry = (i: number): AuditEntry => ({
  time: new Date(),
  principal: 'p',
  operation: 'Encrypt',
  keyId: null,
  keyVersion: null,
  outcome: 'allowed',
  errorCode: null,
  requestId: `r${i}`,
  details: null,
});

/** Counts the transactions a sink commits. */
function counting(sink: AuditSink): AuditSink & { commits: number } {
  const counted = {
    commits: 0,
    commit: async (e: AuditEntry[]) => (counted.commits++, sink.commit(e)),
    close: () => sink.close(),
  };
  return counted;
}

describe('packEntries', () => {
  it('round-trips every field of every entry through the flat form the worker receives', () => {
    const entries = [
      entry(1),
      { ...entry(2), keyId: 'k', keyVersion: 3, outcome: 'failed' as const, errorCode: 'E', details: { a: [1] } },
    ];
    const packed = packEntries(entries);
    expect(packed.every((v) => v === null || typeof v !== 'object' || !(v instanceof Date))).toBe(true);
    expect(unpackEntries(structuredClone(packed))).toEqual(entries);
    expect(unpackEntries([])).toEqual([]);
  });
});

describe('AuditWriter', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-audit-'));
    store = withRowKey(await openSqliteStore(join(dir, 'custos.db')));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('commits records that arrive together in one transaction, and each is on disk when its promise resolves', async () => {
    const sink = counting(inProcessSink(store, testChainKey));
    const writer = new AuditWriter(sink);
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await writer.append(entry(i));
        const found = await repo.audit.list(store.db, { limit: 1000 });
        expect(found.some((r) => r.requestId === `r${i}`)).toBe(true);
      }),
    );
    expect(sink.commits).toBeLessThan(5);
    expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 50 });
  });

  it('rejects every record of a batch whose transaction failed, and goes on with later ones', async () => {
    let fail = true;
    const inner = inProcessSink(store, testChainKey);
    const writer = new AuditWriter({
      commit: (e) => (fail ? Promise.reject(new Error('disk full')) : inner.commit(e)),
      close: () => inner.close(),
    });
    const results = await Promise.allSettled([writer.append(entry(1)), writer.append(entry(2))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await writer.append(entry(3));
    expect((await repo.audit.list(store.db, { limit: 10 })).map((r) => r.requestId)).toEqual(['r3']);
  });

  it('splits what queued up into transactions of at most maxBatch records; a failed one rejects only its own records', async () => {
    const inner = inProcessSink(store, testChainKey);
    const batches: string[][] = [];
    const writer = new AuditWriter(
      {
        commit: (e) => {
          batches.push(e.map((x) => x.requestId));
          return batches.length === 1 ? Promise.reject(new Error('disk full')) : inner.commit(e);
        },
        close: () => inner.close(),
      },
      2,
    );
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => writer.append(entry(i))));
    expect(batches).toEqual([['r1', 'r2'], ['r3', 'r4'], ['r5']]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((await repo.audit.list(store.db, { limit: 10 })).map((r) => r.requestId)).toEqual(['r3', 'r4', 'r5']);
  });

  it.skipIf(!existsSync(DIST_SINK))(
    'commits on a worker thread with its own connection (compiled package)',
    async () => {
      const { workerSink } = (await import(
        DIST_SINK.href
      )) as typeof import('../../../src/service/audit/worker-sink.js');
      const sink = await workerSink(join(dir, 'custos.db'), TEST_CHAIN_KEY);
      const writer = new AuditWriter(sink);
      await Promise.all(Array.from({ length: 200 }, (_, i) => writer.append(entry(i))));
      // Written by the worker, visible to this connection as soon as the promises resolved.
      expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 200 });
      await writer.close();
    },
  );

  it.skipIf(!existsSync(DIST_SINK))(
    'a worker that cannot open its database fails the start, not a later commit',
    async () => {
      const { workerSink } = (await import(
        DIST_SINK.href
      )) as typeof import('../../../src/service/audit/worker-sink.js');
      await expect(workerSink('/dev/null/custos.db', TEST_CHAIN_KEY)).rejects.toThrow();
    },
  );
});
