// The order of use of a cache's entries, least recently used first, kept through the entries themselves (each holds
// its neighbours). A Map re-inserted on every hit keeps the same order, but V8 leaves the deleted entry in its hash
// bucket until the table is rebuilt: a key hit 30,000 times in a cache of 100,000 keys walked that many dead entries
// on every lookup (measured: a hot key's encrypt fell from 35,000/s to 5,000–9,000/s after a sweep over many keys),
// and reading the oldest entry skipped every deleted one before it. Must not import service or api.

/** What an entry carries to be kept in a RecencyList. */
export interface Recency {
  older?: Recency | undefined;
  newer?: Recency | undefined;
}

/** A doubly linked list of entries, oldest first; every step is O(1) and allocates nothing. */
export class RecencyList<T extends Recency> {
  #oldest: T | undefined;
  #newest: T | undefined;

  /** The least recently used entry, if any. */
  get oldest(): T | undefined {
    return this.#oldest;
  }

  /** Adds `entry` (not in the list) as the most recently used. */
  push(entry: T): void {
    entry.older = this.#newest;
    entry.newer = undefined;
    if (this.#newest) this.#newest.newer = entry;
    else this.#oldest = entry;
    this.#newest = entry;
  }

  /** Takes `entry` (in the list) out. */
  remove(entry: T): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.#oldest = entry.newer as T | undefined;
    if (entry.newer) entry.newer.older = entry.older;
    else this.#newest = entry.older as T | undefined;
    entry.older = entry.newer = undefined;
  }

  /** Makes `entry` (in the list) the most recently used. */
  touch(entry: T): void {
    if (entry === this.#newest) return;
    this.remove(entry);
    this.push(entry);
  }
}
