// Builds the Fastify app of the REST API (no listen: server.ts listens, tests use app.inject()): logging with
// request ids, JSON-only bodies with a size limit, authentication, the error handler, /v1 routes from the contract's
// ROUTES table, health checks, metrics, OpenAPI. Must not be imported by service, store, keystore or core.
import { hash } from 'node:crypto';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { LimitExceededError, UnavailableError } from '@custos/contract';
import type { Logger } from 'pino';
import type { LocalKms } from '../service/local-kms.js';
import { awsPlugin } from './aws/plugin.js';
import { authPlugin, bearerToken } from './plugins/auth.js';
import { errorsPlugin, sendError } from './plugins/errors.js';
import { requestId } from './plugins/logger.js';
import { consolePlugin } from './plugins/console.js';
import { metricsPlugin } from './plugins/metrics.js';
import { MOSIP_PREFIX, mosipPlugin } from './mosip/plugin.js';
import { openApiPlugin } from './plugins/openapi.js';
import { operationRoutes } from './routes/v1/operations.js';
import { sysRoutes } from './routes/sys.js';
import { SealGate } from './seal.js';
import { sysRootRoutes } from './routes/sys-root.js';
import { wellKnownRoutes } from './routes/well-known.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The service every route calls. */
    kms: LocalKms;
  }
}

export interface AppOptions {
  /** A pino logger (see `createLogger`), or false for none. Default: none. */
  readonly logger?: false | Logger;
  /** Largest request body in bytes (default 1 MiB); larger ones get 413 PAYLOAD_TOO_LARGE. */
  readonly bodyLimitBytes?: number;
  /** Requests per minute per token; larger bursts get 429 LIMIT_EXCEEDED. Default: no limit. */
  readonly rateLimitPerMinute?: number;
  /** Where the rate limit counts (default in this process; a cluster worker counts in its primary). */
  readonly rateLimitStore?: FastifyRateLimitStoreCtor;
  /** Serve HTTPS with these options (cert, key, and for mutual TLS ca + requestCert + rejectUnauthorized). */
  readonly https?: HttpsServerOptions;
  /** Unseal attempts (POST /v1/sys/unseal) per minute per client address; default 20. */
  readonly unsealPerMinute?: number;
  /** Say `X-Custos-Mode: development` on every response (default: whether `service` is a development LocalKms). */
  readonly devMode?: boolean;
}

/** The header a development server (custos server --dev) sends on every response, errors and AWS replies included. */
const DEV_MODE_HEADER = 'x-custos-mode';

const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_UNSEAL_PER_MINUTE = 20;

/**
 * The REST API app for `kms`, or for the service behind a seal gate (api/seal.ts: a sealed server). The caller owns
 * `kms` (or the gate): closing the app does not close it.
 * @example
 * const app = buildApp(kms, {});
 * const res = await app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: `Bearer ${token}` } });
 */
export function buildApp(service: LocalKms | SealGate, options: AppOptions = {}): FastifyInstance {
  const gate = service instanceof SealGate ? service : SealGate.unsealed(service);
  // A service that cannot be sealed is called directly: the gate's view costs a proxy trap and a promise per call.
  const kms = service instanceof SealGate ? gate.view : service;
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    ...(options.https ? { https: options.https } : {}),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    genReqId: requestId,
    return503OnClosing: false, // see the draining hooks below
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // Malformed URLs (bad percent-encoding) are answered in our error shape too.
    frameworkErrors: (error, request, reply) => {
      void sendError(request, reply, error);
    },
    // Path parameters carry key ids, aliases and ARNs up to 2048 characters.
    routerOptions: { maxParamLength: 4096 },
  }) as unknown as FastifyInstance;

  app.decorate('kms', kms);
  const devMode = options.devMode ?? (!(service instanceof SealGate) && service.devMode);

  // Graceful close: server.close() only ends connections idle at that moment, so a keep-alive connection whose
  // request was in flight would hold close() open for the keep-alive timeout. While closing, each reply says
  // `Connection: close`, connections that fall idle are ended within a few milliseconds, and a new request on a
  // kept-alive connection gets 503 UNAVAILABLE in our error shape (the auth hook's `refuse`, instead of Fastify's
  // own 503 body). Hooks run on every request, so there are as few as possible: one onSend, no onResponse.
  let draining = false;
  app.addHook('preClose', (done) => {
    draining = true;
    const sweep = setInterval(() => {
      app.server.closeIdleConnections();
    }, 5).unref();
    app.server.once('close', () => {
      clearInterval(sweep);
    });
    done();
  });
  // Callback style: on every request an async hook costs a promise for nothing.
  app.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    if (devMode) void reply.header(DEV_MODE_HEADER, 'development');
    if (draining) void reply.header('connection', 'close');
    done(null, payload);
  });

  // JSON only: no text/plain bodies; an empty JSON body means {} (a POST whose fields are all in the path).
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') done(null, {});
    else void parseJson(request, text, done);
  });

  void app.register(errorsPlugin);
  void app.register(authPlugin, {
    kms,
    refuse: (request) => {
      if (draining) return new UnavailableError('the server is shutting down');
      return gate.sealed && request.routeOptions.config.servesSealed !== true ? gate.sealedError() : undefined;
    },
  });
  void app.register(metricsPlugin, { kms });
  if (options.rateLimitPerMinute !== undefined && options.rateLimitPerMinute > 0) {
    void app.register(rateLimit, {
      global: true,
      max: options.rateLimitPerMinute,
      timeWindow: 60_000,
      ...(options.rateLimitStore && { store: options.rateLimitStore }),
      hook: 'preHandler', // after authentication: the limit is per token, and bad tokens never count
      allowList: (request) => request.caller === undefined,
      // Per bearer token (by hash); callers authenticated otherwise (AWS SigV4 signs each request anew) by principal.
      keyGenerator: (request) => {
        const token = bearerToken(request);
        return token ? `token:${hash('sha256', token, 'hex')}` : `principal:${request.caller?.principal}`;
      },
      errorResponseBuilder: () => new LimitExceededError('rate limit exceeded; retry later'),
    });
  }
  void app.register(openApiPlugin);
  void app.register(consolePlugin, {}); // /console: the web console (docs/console.md)

  app.get('/healthz', { config: { public: true, servesSealed: true }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    try {
      await kms.checkReady();
      return { status: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'not ready');
      return sendError(request, reply, new UnavailableError('the store is not answering'));
    }
  });

  void app.register(sysRoutes, { gate, unsealPerMinute: options.unsealPerMinute ?? DEFAULT_UNSEAL_PER_MINUTE });
  void app.register(operationRoutes, { kms });
  void app.register(sysRootRoutes, { kms });
  void app.register(wellKnownRoutes, { kms }); // GET /.well-known/jwks.json, public
  void app.register(mosipPlugin, { kms, prefix: MOSIP_PREFIX }); // /v1/keymanager: MOSIP's Key Manager API (docs/mosip.md)
  void app.register(awsPlugin, { kms }); // POST /: the AWS KMS JSON protocol, SigV4-authenticated (marks its route public to the bearer hook)
  return app;
}
