// GET /.well-known/jwks.json: the published signing keys' JWK Set, without a token, so JWT verifiers (jose's
// createRemoteJWKSet, …) can fetch it. Must not be imported by service, store, keystore or core.
import type { FastifyInstance } from 'fastify';
import type { LocalKms } from '../../service/local-kms.js';

/** How long verifiers and caches may keep the set (a key unpublished or disabled drops out within this). */
const JWKS_MAX_AGE_SECONDS = 300;

export async function wellKnownRoutes(app: FastifyInstance, options: { kms: LocalKms }): Promise<void> {
  app.get('/.well-known/jwks.json', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const jwks = await options.kms.publishedJwks();
    return reply
      .header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
      .type('application/jwk-set+json')
      .send(jwks);
  });
}
