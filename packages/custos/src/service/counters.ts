// Per-version encryption counters, reserved from the store in blocks: the durable count is always at least the
// number of encryptions made (a crash loses at most an unused block, which only over-counts), and most
// encryptions cost no write. Must not import api.
import * as repo from '../store/repositories/index.js';
import type { Db } from '../store/index.js';

interface Slot {
  next: number;
  limit: number;
  pending?: Promise<void> | undefined;
}

export class EncryptionCounters {
  readonly #slots = new Map<string, Slot>();

  /**
   * `block`: encryptions reserved per store write. 16384 costs one durable write per ~2 s at 8 k encryptions/s,
   * and a restart wastes at most 1/65536 of a version's 2^30 budget.
   */
  constructor(private readonly block = 16_384) {}

  /**
   * The number of this encryption under the version (1, 2, …); unique across processes sharing the store. A plain
   * number while the reserved block lasts (the hot path), a promise when a new block must be reserved.
   */
  next(db: Db, keyId: string, version: number): number | Promise<number> {
    const k = `${keyId}:${version}`;
    const slot = this.#slots.get(k);
    if (slot && slot.next <= slot.limit) return slot.next++;
    return this.#reserve(db, k, keyId, version);
  }

  async #reserve(db: Db, k: string, keyId: string, version: number): Promise<number> {
    for (;;) {
      let slot = this.#slots.get(k);
      if (slot && slot.next <= slot.limit) return slot.next++;
      if (slot?.pending) {
        await slot.pending;
        continue;
      }
      slot ??= { next: 1, limit: 0 };
      this.#slots.set(k, slot);
      const s = slot;
      s.pending = repo.keyVersions
        .incrementEncryptionCount(db, keyId, version, this.block)
        .then((top) => {
          s.next = top - this.block + 1;
          s.limit = top;
        })
        .finally(() => {
          s.pending = undefined;
        });
      await s.pending;
    }
  }

  forget(keyId: string): void {
    for (const k of this.#slots.keys()) if (k.startsWith(`${keyId}:`)) this.#slots.delete(k);
  }
}
