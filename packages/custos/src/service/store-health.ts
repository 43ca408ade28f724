// Whether the store can take writes, for the readiness probe (GET /readyz): remembers the last call that failed
// because the store was unavailable (a full disk, a lost database) and, until a probe write succeeds, reports not
// ready. Must not import api.
import type { Store } from '../store/index.js';
import * as repo from '../store/repositories/index.js';

/** After a failed write, report not ready this long before trying a probe write (a full disk rarely clears at once). */
const HOLD_MS = 5_000;
/** The `meta` row the probe writes: the time of the last probe. Governs nothing. */
const PROBE_KEY = 'readyz_write_probe';

/**
 * Readiness for writes, cheap while all is well: no write at all until a call fails as UNAVAILABLE. Then not ready
 * for `HOLD_MS`, after which each check writes one `meta` row; the first that commits makes the store ready again.
 * A probe alone would not do: with SQLite's WAL reused in place, a one-row write can commit on a full disk while
 * larger ones fail, so a real failure counts for a while even when the probe succeeds after it.
 * @example
 * health.noteUnavailable(err); // where a call's error is mapped to UNAVAILABLE
 * await health.check(store, () => meta.get(store.db, 'root_key_check_value')); // GET /readyz
 */
export class StoreHealth {
  #failedAt = 0;
  #failure: unknown = undefined;

  /** Records a call that failed because the store was unavailable (`isUnavailable(error)`). */
  noteUnavailable(error: unknown): void {
    this.#failedAt = Date.now();
    this.#failure = error;
  }

  /** Resolves when the store is ready: `read` answers, or after a failure, a probe write commits. Throws the cause. */
  async check(store: Store, read: () => Promise<unknown>): Promise<void> {
    if (this.#failedAt === 0) {
      await read();
      return;
    }
    if (Date.now() - this.#failedAt < HOLD_MS) throw this.#failure;
    const failedAt = this.#failedAt;
    try {
      await store.transaction((tx) => repo.meta.set(tx, PROBE_KEY, new Date().toISOString()));
    } catch (error) {
      this.noteUnavailable(error);
      throw error;
    }
    // A failure noted while the probe ran stands.
    if (this.#failedAt === failedAt) {
      this.#failedAt = 0;
      this.#failure = undefined;
    }
  }
}
