// The web console (docs/console.md): the single-page app built by packages/console into this package's console-dist/,
// served at /console with @fastify/static under a strict Content-Security-Policy and X-Frame-Options DENY. Its
// routes are public (the page holds no secret; every call it makes is an authenticated /v1 call) and serve a sealed
// server too. Without the built assets (a checkout that did not run the build) /console answers a clear 503 page, and
// the server starts all the same. Must not be imported by service, store, keystore or core.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where the console is served. */
const CONSOLE_PREFIX = '/console';

/** The built assets: packages/custos/console-dist (from dist/api/plugins/ as from src/api/plugins/). */
const DEFAULT_ROOT = fileURLToPath(new URL('../../../console-dist/', import.meta.url));

/** Same origin only, no inline script or style, no framing, no plugins. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const MISSING_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Custos console unavailable</title></head>
<body><h1>The Custos console is not built</h1>
<p>This server has no console assets (console-dist). Run <code>npm run build</code> in the Custos checkout, then restart
the server. The REST API at <code>/v1</code> and its documentation at <code>/docs</code> work without them.</p></body></html>
`;

export interface ConsolePluginOptions {
  /** The folder of the built console (index.html and assets/); default the package's console-dist/. */
  readonly root?: string;
}

function secure(reply: FastifyReply): void {
  void reply.header('content-security-policy', CSP);
  void reply.header('x-frame-options', 'DENY');
  void reply.header('x-content-type-options', 'nosniff');
  void reply.header('referrer-policy', 'no-referrer');
}

/** Registers /console (the app), /console/assets/* and the security headers; encapsulated. */
export async function consolePlugin(app: FastifyInstance, options: ConsolePluginOptions): Promise<void> {
  const root = options.root ?? DEFAULT_ROOT;
  // Public and served while sealed: marked so in this context, before the routes are added.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object), public: true, servesSealed: true };
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    secure(reply);
    done(null, payload);
  });
  const built = existsSync(`${root}index.html`);
  if (!built) {
    const missing = async (_request: unknown, reply: FastifyReply) =>
      reply.code(503).type('text/html; charset=utf-8').send(MISSING_PAGE);
    app.get(CONSOLE_PREFIX, { schema: { hide: true } }, missing);
    app.get(`${CONSOLE_PREFIX}/*`, { schema: { hide: true } }, missing);
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: `${CONSOLE_PREFIX}/`,
    index: ['index.html'],
    wildcard: true,
    decorateReply: false,
    schemaHide: true,
    // index.html must be fetched afresh (it names the hashed assets); the hashed assets may be cached for long.
    setHeaders: (reply, path) => {
      void reply.header(
        'cache-control',
        path.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
      );
    },
  });
  app.get(CONSOLE_PREFIX, { schema: { hide: true } }, async (_request, reply) => reply.redirect(`${CONSOLE_PREFIX}/`));
}
