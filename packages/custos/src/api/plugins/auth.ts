// Bearer-token authentication of every route but those marked `config: { public: true }` (health checks, API docs).
// The service authorises (roles reach it in the Caller); this plugin only establishes who is calling.
// Must not be imported by service, store, keystore or core.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AccessDeniedError, AuthenticationError, type Caller } from '@custos/contract';
import type { LocalKms } from '../../service/local-kms.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No credentials needed (GET /healthz, /readyz, the API document and docs). */
    public?: boolean;
    /** Only callers with the admin role (GET /metrics); operations are authorised by the service instead. */
    adminOnly?: boolean;
  }
  interface FastifyRequest {
    /** The authenticated caller, with this request's id; undefined on public routes. */
    caller?: Caller;
  }
}

/** `Authorization: Bearer <token>` → the token, or undefined when the header is absent or has another scheme. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match?.[1];
}

export const authPlugin = fp(
  async (app: FastifyInstance, options: { kms: LocalKms }) => {
    app.addHook('onRequest', async (request) => {
      const config = request.routeOptions.config;
      // Unknown routes (no url) fall through to the not-found handler: 404 whatever the credentials.
      if (config.public || request.routeOptions.url === undefined) return;
      const token = bearerToken(request);
      if (token === undefined) throw new AuthenticationError();
      const caller = await options.kms.authenticate(token);
      request.caller = { ...caller, requestId: String(request.id) };
      if (config.adminOnly && !caller.roles.includes('admin')) throw new AccessDeniedError(`${caller.principal} may not read ${request.routeOptions.url}`);
    });
  },
  { name: 'custos-auth' },
);
