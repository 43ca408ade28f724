// Per-version encryption counters (the GCM random-IV bound, SP 800-38D 8.3), reserved from the store in blocks, with
// no durable write on the request path, not even on a version's first use. Must not import api.
//
// The scheme. A version's first encryption in this process is granted a small provisional block (`firstBlock`, counted
// from the count its record showed) with no write. Once half of it is used, a flush, off the request path (`flushMs`
// later), turns every such block into a durable reservation of `block` encryptions, all in ONE transaction. From then
// on the version draws on its durable block, and the next block is reserved before this one runs out (`block / 4`
// left), so no request waits for a write in the steady state either. A version used less than that here is never
// written until the process closes (`flush`): a million keys used once each cost a million row writes otherwise.
//
// The invariant (test/service/counters.test.ts): after a crash, a version's durable count under-counts the
// encryptions made under it by at most `firstBlock` (1024) per process that crashed, and over all versions by at most
// `maxProvisional` (2^30) per crash (past it, first uses wait for a durable reservation); otherwise it over-counts
// (unused reservations) and never under-counts. Against the 2^30 bound per version, a crash can so cost at most 2^-20
// of a version's budget: a collision risk still far below the 2^-32 the bound is chosen for.
//
// Memory: a sweep (`sweepMs`) keeps about `maxSlots` versions; past it, the idle ones (unused since the last sweep)
// have their provisional blocks made durable, then are forgotten, the rest of their blocks unused (an over-count).
// Unbounded, a million keys used once each held a million slots, reached `maxProvisional` (then every first use
// waited for a durable write) and made the close write them all. A forgotten version counts on from its cached record,
// which may predate its reservations (key metadata is resident): numbered low for one provisional block at most, until
// the next reservation rebases the numbers on the durable count, which never under-counts.
import * as repo from '../store/repositories/index.js';
import type { CountReservation, Db } from '../store/index.js';

/**
 * Raises encryption counts durably and answers the new counts (undefined: the version is gone): the SQLite audit
 * worker's `reserveCounts`, which commits them with its next batch of audit records, off the event loop.
 */
export type ReserveCounts = (reservations: readonly CountReservation[]) => Promise<(number | undefined)[]>;

interface Slot {
  /** The sweep generation of the last use (EncryptionCounters.sweep). */
  seen: number;
  next: number;
  limit: number;
  /** The store handle the slot's reservations go to. */
  readonly db: Db;
  /** Encryptions granted provisionally (no durable reservation yet); 0 once flushed. */
  provisional: number;
  /** The first number of the provisional block (to carry what was used into the durable one). */
  start: number;
  pending?: Promise<void> | undefined;
  /** A durable block reserved ahead: [nextStart, nextLimit]. */
  ahead?: { start: number; limit: number } | undefined;
}

export interface CounterOptions {
  /** Encryptions reserved per durable write. */
  readonly block: number;
  /** Encryptions granted on a version's first use here, before any write. */
  readonly firstBlock: number;
  /** The most provisional encryptions outstanding over all versions (the bound on a crash's total under-count). */
  readonly maxProvisional: number;
  /** How long after a version used half its provisional block the block is made durable. */
  readonly flushMs: number;
  /** Versions counted in memory past which the sweep writes and forgets the idle ones. */
  readonly maxSlots: number;
  /** How often the sweep runs (ms); 0: never (tests call `sweep`). */
  readonly sweepMs: number;
}

/** Reservations per durable write: a flush of many versions goes in transactions of at most this many. */
const RESERVE_CHUNK = 512;

/**
 * `block`: 16384 costs one durable write per ~2 s at 8 k encryptions/s, and a restart wastes at most 1/65536 of a
 * version's 2^30 budget.
 */
const DEFAULT_COUNTERS: CounterOptions = {
  block: 16_384,
  firstBlock: 1024,
  maxProvisional: 2 ** 30,
  flushMs: 100,
  maxSlots: 262_144, // about 50 MB of slots
  sweepMs: 10_000,
};

export class EncryptionCounters {
  readonly #slots = new Map<string, Slot>();
  /** Versions with a provisional block not yet flushed. */
  #dirty = new Map<string, Slot>();
  #provisional = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  /** Counts the sweeps: a slot last used in an earlier generation than the current one's was idle a whole interval. */
  #generation = 0;
  readonly #sweeper: NodeJS.Timeout | undefined;
  readonly #options: CounterOptions;

  /**
   * `reserve`, when given (the SQLite audit worker's `reserveCounts`), makes the flushes' durable reservations instead
   * of a transaction of the store's own on the event loop; every slot's store must then be the one it writes to.
   */
  constructor(
    options: Partial<CounterOptions> = {},
    private readonly reserve?: ReserveCounts,
  ) {
    this.#options = { ...DEFAULT_COUNTERS, ...options };
    if (this.#options.firstBlock > this.#options.block) throw new Error('firstBlock must not exceed block');
    if (this.#options.sweepMs > 0) {
      this.#sweeper = setInterval(() => void this.sweep().catch(() => undefined), this.#options.sweepMs);
      this.#sweeper.unref();
    }
  }

  /**
   * The number of this encryption under the version (1, 2, …), for the bound: never below the count of encryptions
   * this process has made under it, and counted from `known` (the count the version's record showed) on first use.
   * A plain number while a block lasts (the hot path, first use included), a promise when one must be reserved.
   */
  next(db: Db, keyId: string, version: number, known = 0): number | Promise<number> {
    const k = `${keyId}:${version}`;
    const slot = this.#slots.get(k);
    if (slot) {
      slot.seen = this.#generation;
      if (slot.next <= slot.limit) {
        if (slot.provisional > 0) {
          // With this one, half the provisional block is used.
          if (slot.next + 1 - slot.start >= this.#options.firstBlock / 2 && !this.#dirty.has(k))
            this.#markDirty(k, slot);
        } else if (slot.ahead === undefined && slot.pending === undefined)
          if (slot.limit - slot.next < this.#options.block / 4) this.#reserveAhead(slot, keyId, version);
        return slot.next++;
      }
      if (slot.ahead) {
        slot.next = slot.ahead.start;
        slot.limit = slot.ahead.limit;
        slot.ahead = undefined;
        return slot.next++;
      }
    } else if (this.#provisional + this.#options.firstBlock <= this.#options.maxProvisional) {
      const start = known + 1;
      const limit = known + this.#options.firstBlock;
      const fresh: Slot = { seen: this.#generation, next: start, limit, db, provisional: 0, start };
      fresh.provisional = this.#options.firstBlock;
      this.#provisional += fresh.provisional;
      this.#slots.set(k, fresh);
      if (1 >= this.#options.firstBlock / 2) this.#markDirty(k, fresh);
      return fresh.next++;
    }
    return this.#wait(db, k, keyId, version);
  }

  /** Makes every provisional block durable now (one transaction); resolves when it is. Call before closing the store. */
  flush(): Promise<void> {
    for (const [k, slot] of this.#slots) if (slot.provisional > 0) this.#dirty.set(k, slot);
    return this.#flushDirty();
  }

  /** Makes the provisional blocks marked dirty (half used, or in a failed flush) durable. */
  #flushDirty(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#flushing) return this.#flushing.then(() => (this.#dirty.size > 0 ? this.#flushDirty() : undefined));
    if (this.#dirty.size === 0) return Promise.resolve();
    const batch = this.#dirty;
    this.#dirty = new Map();
    this.#flushing = this.#write(batch)
      .catch((error: unknown) => {
        // Still provisional: the next flush tries them again, within flushMs (a version that ran out waits for it).
        for (const [k, slot] of batch) if (slot.provisional > 0) this.#markDirty(k, slot);
        throw error;
      })
      .finally(() => {
        this.#flushing = undefined;
      });
    return this.#flushing;
  }

  /**
   * Past `maxSlots` versions, makes the provisional blocks of those not used since the last sweep durable (resolves
   * once they are) and forgets those already durable. The timer runs it every `sweepMs`.
   */
  sweep(): Promise<void> {
    const current = this.#generation++;
    if (this.#slots.size <= this.#options.maxSlots) return Promise.resolve();
    let written = false;
    for (const [k, slot] of this.#slots) {
      if (slot.seen >= current || slot.pending || this.#dirty.has(k)) continue;
      if (slot.provisional > 0) {
        this.#dirty.set(k, slot);
        written = true;
      } else this.#slots.delete(k);
    }
    return written ? this.#flushDirty() : Promise.resolve();
  }

  /** Stops the sweep and makes every provisional block durable (`flush`). Call before closing the store. */
  close(): Promise<void> {
    if (this.#sweeper) clearInterval(this.#sweeper);
    return this.flush();
  }

  /** A version has used half its provisional block: its durable reservation is written within `flushMs`. */
  #markDirty(k: string, slot: Slot): void {
    this.#dirty.set(k, slot);
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A failed flush leaves its blocks provisional, counted and dirty; the next flush tries them again.
      void this.#flushDirty().catch(() => undefined);
    }, this.#options.flushMs);
    this.#timer.unref();
  }

  async #write(batch: Map<string, Slot>): Promise<void> {
    const byDb = new Map<Db, { k: string; slot: Slot }[]>();
    for (const [k, slot] of batch) {
      // Made durable meanwhile by the write before (a flush or sweep marked it while that write was under way).
      if (slot.provisional === 0) continue;
      const list = byDb.get(slot.db) ?? [];
      list.push({ k, slot });
      byDb.set(slot.db, list);
    }
    const block = this.#options.block;
    for (const [db, all] of byDb)
      for (let from = 0; from < all.length; from += RESERVE_CHUNK) {
        const items = all.slice(from, from + RESERVE_CHUNK);
        const tops = this.reserve
          ? await this.reserve(items.map(({ k }) => reservation(k, block)))
          : await repo.keyVersions.incrementEncryptionCounts(
              db,
              items.map(({ k }) => ({ ...splitKey(k), by: block })),
            );
        items.forEach(({ k, slot }, i) => {
          this.#provisional -= slot.provisional;
          slot.provisional = 0;
          const top = tops[i];
          if (top === undefined) {
            this.#slots.delete(k); // the version is gone (trimmed): nothing left to count
            return;
          }
          // What was used of the provisional block now counts inside the durable one.
          const used = slot.next - slot.start;
          slot.next = top - block + 1 + used;
          slot.limit = top;
        });
      }
  }

  #reserveAhead(slot: Slot, keyId: string, version: number): void {
    slot.pending = repo.keyVersions
      .incrementEncryptionCount(slot.db, keyId, version, this.#options.block)
      .then((top) => {
        slot.ahead = { start: top - this.#options.block + 1, limit: top };
      })
      .catch(() => undefined) // the slot runs out and #wait reserves (and reports) instead
      .finally(() => {
        slot.pending = undefined;
      });
  }

  /** The slow path: a block must be reserved (or a flush made) before this encryption can be numbered. */
  async #wait(db: Db, k: string, keyId: string, version: number): Promise<number> {
    for (;;) {
      const slot = this.#slots.get(k);
      if (slot && slot.next <= slot.limit) return slot.next++;
      if (slot?.ahead) return this.next(db, keyId, version);
      if (slot?.pending) {
        await slot.pending;
        continue;
      }
      if (slot?.provisional || this.#flushing) {
        if (slot?.provisional) this.#dirty.set(k, slot);
        await this.#flushDirty();
        continue;
      }
      if (!slot) {
        // Too much provisional already: reserve durably at once.
        const top = await repo.keyVersions.incrementEncryptionCount(db, keyId, version, this.#options.block);
        if (!this.#slots.has(k)) {
          const next = top - this.#options.block + 1;
          this.#slots.set(k, { seen: this.#generation, next, limit: top, db, provisional: 0, start: 0 });
        }
        continue;
      }
      const s = slot;
      s.pending = repo.keyVersions.incrementEncryptionCount(db, keyId, version, this.#options.block).then((top) => {
        s.next = top - this.#options.block + 1;
        s.limit = top;
      });
      try {
        await s.pending;
      } finally {
        s.pending = undefined;
      }
    }
  }
}

function splitKey(k: string): { keyId: string; version: number } {
  const at = k.lastIndexOf(':');
  return { keyId: k.slice(0, at), version: Number(k.slice(at + 1)) };
}

function reservation(k: string, by: number): CountReservation {
  const { keyId, version } = splitKey(k);
  return [keyId, version, by];
}
