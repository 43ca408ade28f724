// Group commit of audit records, in-process and on the worker thread (the compiled package's path).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as auditLog from '../../../src/service/audit/audit-log.js';
import { AuditWriter } from '../../../src/service/audit/group-commit.js';
import { batchesToTake, packEntries, unpackEntries } from '../../../src/service/audit/packed-entries.js';
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

describe('batchesToTake', () => {
  const batch = (records: number) => ({ packed: packEntries(Array.from({ length: records }, (_, i) => entry(i))) });
  const checkpoint = {};

  it('takes waiting batches into one transaction until it holds the records asked for, and never none', () => {
    expect(batchesToTake([batch(32), batch(32)], 32)).toBe(1);
    expect(batchesToTake([batch(5), batch(5), checkpoint, batch(30), batch(1)], 32)).toBe(4);
    expect(batchesToTake([batch(100), batch(1)], 32)).toBe(1);
    expect(batchesToTake([checkpoint], 32)).toBe(1);
    expect(batchesToTake([], 32)).toBe(0);
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
    const writer = new AuditWriter({
      maxBatch: 2,
      commit: (e) => {
        batches.push(e.map((x) => x.requestId));
        return batches.length === 1 ? Promise.reject(new Error('disk full')) : inner.commit(e);
      },
      close: () => inner.close(),
    });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => writer.append(entry(i))));
    expect(batches).toEqual([['r1', 'r2'], ['r3', 'r4'], ['r5']]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((await repo.audit.list(store.db, { limit: 10 })).map((r) => r.requestId)).toEqual(['r3', 'r4', 'r5']);
  });

  it('hands a sink that takes two batches the next one before the first has committed, and resolves each only after its own commit', async () => {
    const inner = inProcessSink(store, testChainKey);
    const started: string[][] = [];
    const finish: (() => void)[] = [];
    const writer = new AuditWriter({
      maxInFlight: 2,
      commit: async (e) => {
        started.push(e.map((x) => x.requestId));
        // Held until the test lets it go, then committed: commits end in the order they began.
        await new Promise<void>((resolve) => finish.push(resolve));
        return inner.commit(e);
      },
      close: () => inner.close(),
    });
    let firstDone = false;
    const first = writer.append(entry(1)).then(() => (firstDone = true));
    await new Promise((resolve) => setImmediate(resolve));
    const second = writer.append(entry(2));
    const third = writer.append(entry(3));
    await new Promise((resolve) => setImmediate(resolve));
    // Two batches are with the sink; the third waits for a slot.
    expect(started).toEqual([['r1'], ['r2', 'r3']]);
    expect(firstDone).toBe(false);
    const fourth = writer.append(entry(4));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(2);
    finish.shift()?.();
    await first;
    // The first commit's end let the queued batch go.
    expect(started).toEqual([['r1'], ['r2', 'r3'], ['r4']]);
    finish.shift()?.();
    finish.shift()?.();
    const [two, , four] = await Promise.all([second, third, fourth]);
    expect(four.firstSeq).toBe(two.firstSeq + 2);
    await writer.drain();
    expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 4 });
  });

  it('drain waits for batches still with the sink', async () => {
    const inner = inProcessSink(store, testChainKey);
    const writer = new AuditWriter({
      maxInFlight: 2,
      commit: async (e) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return inner.commit(e);
      },
      close: () => inner.close(),
    });
    void writer.append(entry(1));
    void writer.append(entry(2));
    await writer.drain();
    expect(await repo.audit.list(store.db, { limit: 10 })).toHaveLength(2);
  });

  it.skipIf(!existsSync(DIST_SINK))(
    'the worker commits batches that reach it together in one transaction, each told its own seqs and hashes',
    async () => {
      const { workerSink } = (await import(
        DIST_SINK.href
      )) as typeof import('../../../src/service/audit/worker-sink.js');
      const sink = await workerSink(join(dir, 'custos.db'), TEST_CHAIN_KEY);
      // Handed over back to back, without waiting: the second reaches the worker while the first commits, or with it.
      const batches = await Promise.all([0, 1, 2].map((b) => sink.commit([entry(10 * b), entry(10 * b + 1)])));
      const stored = await repo.audit.list(store.db, { limit: 10 });
      const bySeq = new Map(stored.map((r) => [r.seq, r]));
      batches.forEach((batch, b) => {
        expect(batch.hashes).toHaveLength(2);
        batch.hashes.forEach((hash, i) => {
          const record = bySeq.get(batch.firstSeq + i);
          expect(record?.requestId).toBe(`r${10 * b + i}`);
          expect(record?.hash).toBe(hash);
        });
      });
      expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 6 });
      await sink.close();
    },
  );

  it.skipIf(!existsSync(DIST_SINK))(
    'the worker keeps a signed checkpoint with the records committed beside it, once per seq',
    async () => {
      const { workerSink } = (await import(
        DIST_SINK.href
      )) as typeof import('../../../src/service/audit/worker-sink.js');
      const sink = await workerSink(join(dir, 'custos.db'), TEST_CHAIN_KEY);
      const first = await sink.commit([entry(1)]);
      const checkpoint = { seq: first.firstSeq, hash: first.hashes[0] ?? '', time: 1, signature: 's' };
      // Sent with a batch (one transaction), then again alone: the second changes nothing.
      await Promise.all([sink.commit([entry(2)]), sink.insertCheckpoint?.(checkpoint)]);
      await sink.insertCheckpoint?.({ ...checkpoint, signature: 'other' });
      expect(await repo.audit.checkpointAt(store.db, first.firstSeq)).toEqual(checkpoint);
      expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 2 });
      await sink.close();
      // Closed, it starts no worker again: a checkpoint is left to the caller (LocalKms.close signs the final head
      // after the audit writer has closed), and a batch fails.
      expect(await sink.insertCheckpoint?.({ ...checkpoint, seq: 99 })).toBe(false);
      await expect(sink.commit([entry(3)])).rejects.toThrow(/closed/);
    },
  );

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
