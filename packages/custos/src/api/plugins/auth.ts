// Bearer-token authentication of every route but those marked `config: { public: true }` (health checks, API docs).
// The service authorises (roles reach it in the Caller); this plugin only establishes who is calling.
// Must not be imported by service, store, keystore or core.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AuthenticationError, type Caller } from '@custos/contract';
import type { LocalKms } from '../../service/local-kms.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No credentials needed (GET /healthz, /readyz, the API document and docs). */
    public?: boolean;
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

export interface AuthPluginOptions {
  readonly kms: LocalKms;
  /**
   * Checked first on every request, public routes included: an error to answer with instead (a closing server, a
   * sealed one).
   */
  readonly refuse?: (request: FastifyRequest) => Error | undefined;
}

export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthPluginOptions) => {
    /** Sets the request's caller (the service authorises it). */
    const admit = (request: FastifyRequest, caller: Caller): void => {
      request.caller = { ...caller, requestId: request.id, sourceIp: request.ip };
    };
    // Callback style, and no promise at all when the token is cached: this runs on every request.
    app.addHook('onRequest', (request, _reply, done) => {
      const refused = options.refuse?.(request);
      if (refused) {
        done(refused);
        return;
      }
      const config = request.routeOptions.config;
      // Unknown routes (no url) fall through to the not-found handler: 404 whatever the credentials.
      if (config.public || request.routeOptions.url === undefined) {
        done();
        return;
      }
      const token = bearerToken(request);
      if (token === undefined) {
        done(new AuthenticationError());
        return;
      }
      let cached: Caller | undefined;
      try {
        cached = options.kms.authenticateCached(token);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (cached) {
        admit(request, cached);
        done();
        return;
      }
      options.kms.authenticate(token).then((caller) => {
        admit(request, caller);
        done();
      }, done);
    });
  },
  { name: 'custos-auth' },
);
