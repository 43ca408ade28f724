// The per-version encryption counters (service/counters.ts): no durable write on a version's first use, batched
// reservations off the request path, and the crash invariant — the durable count under-counts the encryptions made
// by at most `firstBlock` per version (and `maxProvisional` over all) when the process dies before its flush.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptionCounters } from '../../src/service/counters.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import * as repo from '../../src/store/repositories/index.js';
import { keyRecord, keyVersionRecord } from '../helpers/key-records.js';
import { withRowKey } from '../helpers/row-key.js';

const NO_TIMER = 3_600_000; // flushes only when told to (or when the provisional total is reached)
/** The audit worker runs from the compiled package only. */
const DIST_SINK = new URL('../../dist/service/audit/worker-sink.js', import.meta.url);

describe('EncryptionCounters', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-counters-'));
    store = withRowKey(await openSqliteStore(join(dir, 'custos.db')));
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function newVersion(encryptionCount = 0): Promise<string> {
    const keyId = randomUUID();
    await repo.keys.insert(store.db, keyRecord({ id: keyId }));
    await repo.keyVersions.insert(store.db, keyVersionRecord(keyId, 1, { encryptionCount }));
    return keyId;
  }
  const durable = async (keyId: string) => (await repo.keyVersions.get(store.db, keyId, 1))!.encryptionCount;

  it('numbers a first use at once, with no write, counting from what the record showed', async () => {
    const keyId = await newVersion(500);
    const counters = new EncryptionCounters({ block: 64, firstBlock: 16, flushMs: NO_TIMER });
    const first = counters.next(store.db, keyId, 1, 500);
    expect(first).toBe(501); // a plain number: no promise, no write
    expect(await durable(keyId)).toBe(500);
    await counters.flush();
    expect(await durable(keyId)).toBe(564); // one block reserved, covering the provisional use
    expect(counters.next(store.db, keyId, 1, 500)).toBe(502);
  });

  it('makes many versions durable in one flush, off the request path (the timer)', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => newVersion()));
    const counters = new EncryptionCounters({ block: 32, firstBlock: 8, flushMs: 20 });
    for (const id of ids) for (let i = 0; i < 5; i++) expect(typeof counters.next(store.db, id, 1)).toBe('number');
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const id of ids) expect(await durable(id)).toBe(32);
  });

  it('writes nothing for a version used less than half its first block until flush (close), and soon once it has', async () => {
    const [rare, busy] = await Promise.all([newVersion(), newVersion()]);
    const counters = new EncryptionCounters({ block: 32, firstBlock: 8, flushMs: 20 });
    for (let i = 0; i < 3; i++) expect(typeof counters.next(store.db, rare, 1)).toBe('number');
    for (let i = 0; i < 4; i++) expect(typeof counters.next(store.db, busy, 1)).toBe('number');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await durable(busy)).toBe(32); // half its provisional block used: reserved off the request path
    expect(await durable(rare)).toBe(0); // three uses: no row write at all
    await counters.flush();
    expect(await durable(rare)).toBe(32);
    expect(counters.next(store.db, rare, 1)).toBe(4);
  });

  it('after a crash before the flush, under-counts each version by at most firstBlock and all by at most maxProvisional', async () => {
    const options = { block: 64, firstBlock: 16, maxProvisional: 48, flushMs: NO_TIMER };
    const ids = await Promise.all(Array.from({ length: 6 }, () => newVersion()));
    const crashed = new EncryptionCounters(options);
    const used = new Map<string, number>();
    // 6 versions, 20 encryptions each: more than the first block, and more versions than maxProvisional allows
    // provisionally, so some must wait for durable writes.
    for (const id of ids) {
      for (let i = 0; i < 20; i++) await crashed.next(store.db, id, 1);
      used.set(id, 20);
    }
    // The crash: `crashed` is dropped without its flush. Every version's durable count is checked against its uses.
    let under = 0;
    for (const id of ids) {
      const missing = Math.max(0, used.get(id)! - (await durable(id)));
      expect(missing).toBeLessThanOrEqual(options.firstBlock);
      under += missing;
    }
    expect(under).toBeLessThanOrEqual(options.maxProvisional);
    // A restarted process counts on from the durable count: the numbers only ever grow from there.
    const restarted = new EncryptionCounters(options);
    const id = ids[0]!;
    const next = await restarted.next(store.db, id, 1, await durable(id));
    expect(next).toBe((await durable(id)) + 1);
  });

  it('never under-counts once flushed, with concurrent encryptions across block boundaries', async () => {
    const keyId = await newVersion();
    const counters = new EncryptionCounters({ block: 16, firstBlock: 4, flushMs: NO_TIMER });
    const numbers = await Promise.all(Array.from({ length: 100 }, async () => counters.next(store.db, keyId, 1)));
    expect(new Set(numbers).size).toBe(100);
    expect(Math.min(...numbers)).toBe(1);
    await counters.flush();
    expect(await durable(keyId)).toBeGreaterThanOrEqual(100);
    // A second process (another counters object) counts from the durable count: above everything this one used.
    const other = new EncryptionCounters({ block: 16, firstBlock: 4, flushMs: NO_TIMER });
    expect(await other.next(store.db, keyId, 1, await durable(keyId))).toBeGreaterThan(Math.max(...numbers));
  });

  it('reserves the next block before the current one runs out, so the steady state never waits', async () => {
    const keyId = await newVersion();
    const counters = new EncryptionCounters({ block: 16, firstBlock: 4, flushMs: NO_TIMER });
    await counters.next(store.db, keyId, 1);
    await counters.flush();
    let waited = 0;
    for (let i = 0; i < 60; i++) {
      const n = counters.next(store.db, keyId, 1);
      if (typeof n !== 'number') {
        waited++;
        await n;
      }
      await new Promise((resolve) => setImmediate(resolve)); // lets a reservation ahead land
    }
    expect(waited).toBe(0);
    expect(await durable(keyId)).toBeGreaterThanOrEqual(61);
  });

  it('past maxSlots, a sweep makes the idle versions durable, then forgets them; a version in use stays provisional', async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, () => newVersion()));
    const [busy] = ids.slice(3);
    const counters = new EncryptionCounters({ block: 32, firstBlock: 8, flushMs: NO_TIMER, maxSlots: 2, sweepMs: 0 });
    for (const id of ids) expect(counters.next(store.db, id, 1)).toBe(1);
    await counters.sweep(); // all used since the last sweep (there was none): nothing is idle yet
    for (const id of ids) expect(await durable(id)).toBe(0);
    expect(counters.next(store.db, busy!, 1)).toBe(2);
    await counters.sweep(); // the three others were idle a whole interval: made durable
    for (const id of ids.slice(0, 3)) expect(await durable(id)).toBe(32);
    expect(await durable(busy!)).toBe(0);
    await counters.sweep(); // durable and still idle: forgotten; busy, idle now, made durable
    expect(await durable(busy!)).toBe(32);
    // A forgotten version counts on from its record (the durable count), never below what it used.
    expect(counters.next(store.db, ids[0]!, 1, await durable(ids[0]!))).toBe(33);
    // busy is still counted here: on from its durable block, which holds its two uses.
    expect(counters.next(store.db, busy!, 1, 0)).toBe(3);
  });

  it('under maxSlots, a sweep writes nothing (the versions stay provisional until close)', async () => {
    const ids = await Promise.all(Array.from({ length: 3 }, () => newVersion()));
    const counters = new EncryptionCounters({ block: 32, firstBlock: 8, flushMs: NO_TIMER, maxSlots: 3, sweepMs: 0 });
    for (const id of ids) expect(counters.next(store.db, id, 1)).toBe(1);
    for (let i = 0; i < 3; i++) await counters.sweep();
    for (const id of ids) expect(await durable(id)).toBe(0);
    await counters.close();
    for (const id of ids) expect(await durable(id)).toBe(32);
  });

  it('sweeps on its timer', async () => {
    const ids = await Promise.all(Array.from({ length: 3 }, () => newVersion()));
    const counters = new EncryptionCounters({ block: 32, firstBlock: 8, flushMs: NO_TIMER, maxSlots: 1, sweepMs: 20 });
    try {
      for (const id of ids) expect(counters.next(store.db, id, 1)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const id of ids) expect(await durable(id)).toBe(32);
    } finally {
      await counters.close();
    }
  });

  it('a version marked again while its write is under way is not reserved twice', async () => {
    const calls: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const counters = new EncryptionCounters({ block: 32, firstBlock: 8, flushMs: NO_TIMER }, async (reservations) => {
      calls.push(reservations.length);
      await gate;
      return reservations.map(([, , by]) => by);
    });
    expect(counters.next(store.db, 'k', 1)).toBe(1);
    const first = counters.flush(); // under way until the gate opens
    const second = counters.flush(); // marks k again: still provisional while the first write waits
    release();
    await Promise.all([first, second]);
    expect(calls).toEqual([1]);
    expect(counters.next(store.db, 'k', 1)).toBe(2);
  });

  it('writes a flush of many versions in several reservations of at most 512', async () => {
    const sizes: number[] = [];
    const counters = new EncryptionCounters({ block: 32, firstBlock: 8, flushMs: NO_TIMER }, (reservations) => {
      sizes.push(reservations.length);
      return Promise.resolve(reservations.map(([, , by]) => by)); // as if every count was 0
    });
    for (let i = 0; i < 1200; i++) expect(counters.next(store.db, `k${String(i)}`, 1)).toBe(1);
    expect(counters.next(store.db, 'k0', 1)).toBe(2);
    await counters.flush();
    expect(sizes).toEqual([512, 512, 176]);
    expect(counters.next(store.db, 'k0', 1)).toBe(3); // on inside the durable block, after the two it used
    expect(counters.next(store.db, 'k1199', 1)).toBe(2);
  });

  it('tries a failed flush again: its versions stay provisional, and one that ran out waits for the retry', async () => {
    const keyId = await newVersion();
    let failures = 1;
    const counters = new EncryptionCounters({ block: 16, firstBlock: 4, flushMs: NO_TIMER }, async (reservations) => {
      if (failures-- > 0) throw new Error('disk full');
      return repo.keyVersions.incrementEncryptionCounts(
        store.db,
        reservations.map(([id, version, by]) => ({ keyId: id, version, by })),
      );
    });
    for (let i = 1; i <= 4; i++) expect(counters.next(store.db, keyId, 1)).toBe(i);
    await expect(counters.flush()).rejects.toThrow('disk full');
    expect(await durable(keyId)).toBe(0);
    // The provisional block is spent: the fifth waits for a durable block, which the retried flush reserves.
    expect(await counters.next(store.db, keyId, 1)).toBe(5);
    expect(await durable(keyId)).toBe(16);
  });

  it.skipIf(!existsSync(DIST_SINK))(
    "flushes through the SQLite audit worker's transaction when given its reserveCounts",
    async () => {
      const { workerSink } = (await import(DIST_SINK.href)) as typeof import('../../src/service/audit/worker-sink.js');
      const sink = await workerSink(join(dir, 'custos.db'), new Uint8Array(32).fill(7));
      try {
        const ids = await Promise.all(Array.from({ length: 3 }, () => newVersion(100)));
        const counters = new EncryptionCounters({ block: 64, firstBlock: 8, flushMs: NO_TIMER }, (r) =>
          sink.reserveCounts!(r),
        );
        for (const id of ids) for (let i = 1; i <= 3; i++) expect(counters.next(store.db, id, 1, 100)).toBe(100 + i);
        // A version trimmed meanwhile is gone: nothing left to count, and the others are reserved all the same.
        await repo.keyVersions.insert(store.db, keyVersionRecord(ids[0]!, 2));
        expect(counters.next(store.db, ids[0]!, 2)).toBe(1);
        await store.db.deleteFrom('key_versions').where('key_id', '=', ids[0]!).where('version', '=', 2).execute();
        await counters.flush();
        for (const id of ids) expect(await durable(id)).toBe(164);
        expect(counters.next(store.db, ids[1]!, 1, 100)).toBe(104);
        // Records committed beside the reservations keep their chain.
        await sink.commit([
          {
            time: new Date(),
            principal: 'p',
            operation: 'Encrypt',
            keyId: ids[1]!,
            keyVersion: 1,
            outcome: 'allowed',
            errorCode: null,
            requestId: 'r',
            details: null,
          },
        ]);
      } finally {
        await sink.close();
      }
    },
  );

  it.skipIf(!existsSync(DIST_SINK))(
    'keeps its versions provisional when the audit worker cannot take the reservation (a closed sink)',
    async () => {
      const { workerSink } = (await import(DIST_SINK.href)) as typeof import('../../src/service/audit/worker-sink.js');
      const sink = await workerSink(join(dir, 'custos.db'), new Uint8Array(32).fill(7));
      await sink.close();
      const keyId = await newVersion();
      const counters = new EncryptionCounters({ block: 32, firstBlock: 8, flushMs: NO_TIMER }, (r) =>
        sink.reserveCounts!(r),
      );
      expect(counters.next(store.db, keyId, 1)).toBe(1);
      await expect(counters.flush()).rejects.toThrow(/closed/);
      expect(await durable(keyId)).toBe(0);
      // Still counted from where it was: nothing lost, nothing numbered twice.
      expect(counters.next(store.db, keyId, 1)).toBe(2);
    },
  );

  it('rejects a first block larger than the block', () => {
    expect(() => new EncryptionCounters({ block: 4, firstBlock: 8 })).toThrow(/firstBlock/);
  });
});
