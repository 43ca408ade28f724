// The key cache's preload (issue 17, keys at scale): at start, every key's record and its latest version go into the
// key cache, a page at a time in key-id order, each row's MAC checked as on any read, until the store is read or the
// cache's memory budget is nearly used. The change feed keeps what it loaded coherent (cache.ts), so once it is done
// a key's first use on this process costs an unwrap, not a store read. Material is never preloaded: it stays bounded
// by count and TTL, unwrapped on use. Must not import api.
import type { ServiceContext } from './context.js';
import { integrityFailureOf, recordIntegrityFailure } from './integrity/failure.js';
import { SYSTEM_CALLER } from './lifecycle.js';
import * as repo from '../store/repositories/index.js';

/** Keys read per page: one page is one read, and the event loop turns between pages (about 10 ms a page). */
const PAGE = 256;
/** The share of the budget the preload fills at most, leaving room for what requests bring in. */
const BUDGET_SHARE = 0.9;

/** Where a preload is (GET /metrics: custos_key_cache_*). */
export interface PreloadStatus {
  /**
   * off (not started, or turned off), running, done (every key read, or the budget's share reached), stopped (closed
   * first) or failed (a read failed).
   */
  state: 'off' | 'running' | 'done' | 'stopped' | 'failed';
  /** Keys put into the cache. */
  loaded: number;
  /** Rows that failed their MAC check: logged and audited, never cached (a call on such a key fails as before). */
  refused: number;
  /** Milliseconds from start to the end (so far, while running), of the last run. */
  ms: number;
  /** Runs started: the first at open, one more each time the whole cache was dropped (restart). */
  runs: number;
}

/**
 * The preload of one service's key cache: started once (LocalKms, when it opens), started again from the first key
 * whenever the whole cache is dropped (`restart`), stopped at close. `status` tells where it is (GET /metrics).
 */
export class CachePreload {
  readonly status: PreloadStatus = { state: 'off', loaded: 0, refused: 0, ms: 0, runs: 0 };
  #running: Promise<PreloadStatus> | undefined;
  #stopping = false;
  /** Set by restart while a run is reading: it goes back to the first key at its next page. */
  #fromStart = false;

  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Starts reading every key in the background, unless the cache is off or `keyCachePreload` is false; resolves with
   * the final status when it ends (never rejects). Later calls return the same promise.
   */
  start(): Promise<PreloadStatus> {
    const { config } = this.ctx;
    if (this.#running) return this.#running;
    if (!config.keyCachePreload || config.keyCacheTtlMs <= 0) return (this.#running = Promise.resolve(this.status));
    this.status.state = 'running';
    return (this.#running = this.#run());
  }

  /**
   * The whole cache was dropped (a root rotation, a listener that reconnected, a gap in the feed): reads every key
   * again, from the first, once the preload has been started and is on. A run in progress goes back to the first
   * key at its next page (what it read before the drop is not put: the epoch rule); an ended one runs again.
   */
  restart(): void {
    if (this.#stopping || !this.#running || this.status.state === 'off') return;
    if (this.status.state === 'running') {
      this.#fromStart = true;
      return;
    }
    this.status.state = 'running';
    this.#running = this.#run();
  }

  /** Whether restart asked for the first key again (a method: the field changes while a page is read). */
  #restarted(): boolean {
    return this.#fromStart;
  }

  /** Stops it at its next page; resolves once it has stopped. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#running;
  }

  async #run(): Promise<PreloadStatus> {
    const { ctx, status } = this;
    const started = Date.now();
    const { cache, store } = ctx;
    const full = ctx.config.keyCacheBytes * BUDGET_SHARE;
    let after: string | undefined;
    status.loaded = 0;
    status.refused = 0;
    status.runs++;
    try {
      for (;;) {
        if (this.#fromStart) {
          this.#fromStart = false;
          after = undefined;
          status.loaded = 0;
          status.refused = 0;
          status.runs++;
        }
        if (this.#stopping) {
          status.state = 'stopped';
          break;
        }
        if (cache.bytes >= full) {
          status.state = 'done';
          break;
        }
        // A page read before an invalidation is not put (the epoch rule): those keys load on first use instead.
        const epoch = cache.epoch;
        const page = await repo.keys.pageWithLatestVersion(store.db, after, PAGE);
        let put = 0;
        for (const { key, version } of page.entries) {
          if (cache.bytes >= full) break;
          cache.putKey(epoch, key);
          if (version) cache.putVersion(epoch, version);
          put++;
        }
        if (cache.epoch === epoch) status.loaded += put;
        for (const failure of page.failures) await refuse(ctx, failure);
        status.refused += page.failures.length;
        status.ms = Date.now() - started;
        // The last page, unless the cache was dropped meanwhile (restart): then it starts over.
        if ((page.last === undefined || put < page.entries.length) && !this.#restarted()) {
          status.state = 'done';
          break;
        }
        after = page.last;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      status.state = 'failed';
      ctx.logger.error({ err: error }, 'key cache preload failed; keys load on first use');
    }
    status.ms = Date.now() - started;
    return status;
  }
}

/** A row that failed its check is logged and audited as any other (operation PreloadKeyCache); anything else logged. */
async function refuse(ctx: ServiceContext, error: unknown): Promise<void> {
  const failure = integrityFailureOf(error);
  if (failure) await recordIntegrityFailure(ctx, 'PreloadKeyCache', failure, SYSTEM_CALLER.principal);
  else ctx.logger.error({ err: error }, 'key cache preload: a key row could not be read');
}
