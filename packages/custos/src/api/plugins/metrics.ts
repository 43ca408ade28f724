// Prometheus metrics on a registry of this app's own (two apps in one process never share counters): requests by
// operation and outcome, their durations, this process's key cache (keys, bytes, its preload), and keys by state
// (read from the store at scrape time through the service, which authorises the scrape — roles monitor and admin —
// and audits it as ReadMetrics).
// Must not be imported by service, store, keystore or core.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AuthenticationError, KEY_STATES } from '@custos/contract';
import type { LocalKms } from '../../service/local-kms.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operation a route serves, as AWS spells it (`Encrypt`): the `operation` label of the metrics. */
    operation?: string;
  }
  interface FastifyRequest {
    /**
     * The operation this request turned out to be, on a route serving several (the AWS protocol's `POST /`); only
     * names from a fixed table, so the label set stays bounded.
     */
    operation?: string;
  }
}

export const metricsPlugin = fp(
  async (app: FastifyInstance, options: { kms: LocalKms }) => {
    const registry = new Registry();
    const requests = new Counter({
      name: 'custos_requests_total',
      help: 'Operation requests by operation and outcome (ok, or the error code)',
      labelNames: ['operation', 'outcome'] as const,
      registers: [registry],
    });
    const duration = new Histogram({
      name: 'custos_request_duration_seconds',
      help: 'Operation request duration in seconds',
      labelNames: ['operation'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const keys = new Gauge({
      name: 'custos_keys',
      help: 'Keys by state',
      labelNames: ['state'] as const,
      registers: [registry],
    });
    const cached = new Gauge({
      name: 'custos_key_cache_keys',
      help: "Keys in this process's key cache",
      registers: [registry],
    });
    const cachedBytes = new Gauge({
      name: 'custos_key_cache_bytes',
      help: "Estimated heap bytes of the key metadata in this process's key cache (the --key-cache-mb budget's measure)",
      registers: [registry],
    });
    const preloaded = new Gauge({
      name: 'custos_key_cache_preloaded_keys',
      help: "Keys this process's key cache preload has read, by its state (off, running, done, stopped, failed)",
      labelNames: ['state'] as const,
      registers: [registry],
    });

    // The labelled children, looked up once per label set (prom-client hashes the labels on every inc/observe).
    const counters = new Map<string, Counter.Internal>();
    const timers = new Map<string, Histogram.Internal<'operation'>>();
    app.addHook('onResponse', (request, reply, done) => {
      const operation = request.operation ?? request.routeOptions.config.operation;
      if (operation) {
        const outcome = request.errorCode ?? 'ok';
        const key = `${operation} ${outcome}`;
        let counter = counters.get(key);
        if (!counter) counters.set(key, (counter = requests.labels({ operation, outcome })));
        counter.inc();
        let timer = timers.get(operation);
        if (!timer) timers.set(operation, (timer = duration.labels({ operation })));
        timer.observe(reply.elapsedTime / 1000);
      }
      done();
    });

    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      // Never the embedded default caller (an administrator): the route is authenticated, and must stay so.
      if (!request.caller) throw new AuthenticationError();
      const { keysByState } = await options.kms.readMetrics(request.caller);
      for (const state of KEY_STATES) keys.set({ state }, keysByState[state] ?? 0);
      const cache = options.kms.keyCacheStatus();
      cached.set(cache.keys);
      cachedBytes.set(cache.bytes);
      preloaded.reset();
      preloaded.set({ state: cache.preload.state }, cache.preload.loaded);
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    });
  },
  { name: 'custos-metrics' },
);
