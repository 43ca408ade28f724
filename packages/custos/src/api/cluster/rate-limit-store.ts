// The --rate-limit counters of `custos server --workers N`, held by the primary so that the limit holds across the
// workers (a @fastify/rate-limit store): each count is one IPC round trip to the primary, which keeps fixed windows as
// the plugin's own local store does. Must not be imported by service, store, keystore or core.
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { isMessage } from './messages.js';

/** A worker asks the primary to count one request under `key` (a window of `timeWindow` ms). */
export interface RateIncrMessage {
  readonly custos: 'rate-incr';
  readonly id: number;
  readonly key: string;
  readonly timeWindow: number;
}

/** The primary's answer: the count in the current window and the ms left in it. */
export interface RateCountMessage {
  readonly custos: 'rate-count';
  readonly id: number;
  readonly current: number;
  readonly ttl: number;
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

let nextId = 1;
const waiting = new Map<number, Callback>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  process.on('message', (message: unknown) => {
    if (!isMessage<RateCountMessage>(message, 'rate-count')) return;
    const callback = waiting.get(message.id);
    waiting.delete(message.id);
    callback?.(null, { current: message.current, ttl: message.ttl });
  });
}

/** The worker's store: counts through the primary (a primary gone fails the count: the plugin lets it through). */
export class ClusterRateLimitStore implements FastifyRateLimitStore {
  /** `options`: the plugin's (unused); `prefix` separates a route's own limit from the global one. */
  constructor(
    _options?: unknown,
    private readonly prefix = '',
  ) {}

  incr(key: string, callback: Callback, timeWindow: number): void {
    if (!process.connected || !process.send) {
      callback(new Error('the primary process is gone'));
      return;
    }
    listen();
    const id = nextId++;
    waiting.set(id, callback);
    process.send({ custos: 'rate-incr', id, key: `${this.prefix}${key}`, timeWindow } satisfies RateIncrMessage);
  }

  child(routeOptions: { path: string }): FastifyRateLimitStore {
    return new ClusterRateLimitStore(undefined, `${routeOptions.path}:`);
  }
}

/** The primary's side: fixed windows per key; expired windows are dropped as they are met and every minute. */
export function rateLimitCounter(): (message: RateIncrMessage) => RateCountMessage {
  const windows = new Map<string, { current: number; start: number; length: number }>();
  let swept = Date.now();
  return (message) => {
    const now = Date.now();
    if (now - swept > 60_000) {
      swept = now;
      for (const [key, w] of windows) if (w.start + w.length <= now) windows.delete(key);
    }
    let w = windows.get(message.key);
    if (!w || w.start + w.length <= now) {
      w = { current: 0, start: now, length: message.timeWindow };
      windows.set(message.key, w);
    }
    w.current += 1;
    return { custos: 'rate-count', id: message.id, current: w.current, ttl: w.start + w.length - now };
  };
}
