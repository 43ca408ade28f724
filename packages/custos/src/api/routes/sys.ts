// The seal routes: GET /v1/sys/seal-status and POST /v1/sys/unseal (no token: a sealed server cannot check one;
// the unseal is rate-limited per client address), POST /v1/sys/seal (admin token). Served while sealed. The body
// of an unseal (a share) is never logged. Must not be imported by service, store, keystore or core.
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { AuthenticationError, LimitExceededError } from '@custos/contract';
import type { SealGate } from '../seal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answered while the server is sealed (every other route answers 503 SEALED). */
    servesSealed?: boolean;
  }
}

export interface SysRoutesOptions {
  readonly gate: SealGate;
  /** Unseal attempts per minute per client address; beyond it 429 LIMIT_EXCEEDED. */
  readonly unsealPerMinute: number;
}

/** Registers the seal routes (encapsulated: its rate limiter counts the unseal route only). */
export async function sysRoutes(app: FastifyInstance, options: SysRoutesOptions): Promise<void> {
  const { gate } = options;
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new LimitExceededError('too many unseal attempts from this address; retry later'),
  });
  app.get('/v1/sys/seal-status', { config: { public: true, servesSealed: true }, schema: { hide: true } }, () =>
    Promise.resolve(gate.status()),
  );
  app.post(
    '/v1/sys/unseal',
    {
      config: {
        public: true,
        servesSealed: true,
        rateLimit: { max: options.unsealPerMinute, timeWindow: 60_000, keyGenerator: (request) => request.ip },
      },
      schema: { hide: true },
    },
    (request) => gate.unseal((request.body as { share?: unknown } | undefined)?.share),
  );
  app.post('/v1/sys/seal', { schema: { hide: true } }, (request) => {
    if (!request.caller) throw new AuthenticationError();
    return gate.seal(request.caller);
  });
}
