// The MOSIP-compatible Key Manager API under /v1/keymanager (mosip/keymanager release 1.2.0.x): RequestWrapper in,
// ResponseWrapper out, business errors on HTTP 200 with MOSIP's codes, every call through the Kms with the bearer
// token's caller. Endpoints Custos does not serve, and unknown paths, answer in MOSIP's error shape too.
// Encapsulated (not fastify-plugin): its error and not-found handlers apply under its prefix only.
// Must not be imported by service, store, keystore or core.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticationError, type Kms } from '@custos/contract';
import { CRYPTO_ENDPOINTS } from './crypto-endpoints.js';
import type { MosipEndpoint } from './endpoint.js';
import { errorBody, requestHead, requestOf, successBody } from './envelope.js';
import { Fields } from './fields.js';
import { KEYMANAGER_ENDPOINTS } from './keymanager-endpoints.js';
import { KER_NOT_SERVED, mosipErrorOf, MosipError } from './mosip-errors.js';
import { SIGNATURE_ENDPOINTS } from './signature-endpoints.js';

/** The prefix MOSIP serves under (`server.servlet.path`). */
export const MOSIP_PREFIX = '/v1/keymanager';

/** Every endpoint Custos serves. */
export const MOSIP_ENDPOINTS: readonly MosipEndpoint[] = [
  ...KEYMANAGER_ENDPOINTS,
  ...CRYPTO_ENDPOINTS,
  ...SIGNATURE_ENDPOINTS,
];

/** MOSIP 1.2.0, 1.2.0.x and 1.3 endpoints Custos does not serve (docs/mosip.md says why). */
export const MOSIP_NOT_SERVED: readonly string[] = [
  '/zkEncrypt',
  '/zkDecrypt',
  '/zkReEncryptRandomKey',
  '/encryptWithPin',
  '/decryptWithPin',
  '/encryptDt',
  '/decryptDt',
  '/sign',
  '/validate',
  '/pdf/sign',
  '/jwtEncrypt',
  '/jwtDecrypt',
  '/generateArgon2Hash',
  '/generateECSignKey/:objectType',
  '/getCertificateChain',
  '/signV2',
  '/signRawData',
  '/jwtSign/v2',
  '/jwsSign/v2',
  '/jwtVerify/v2',
];

const ANY_METHOD = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

function sendMosipError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const { status, errorCode, message } = mosipErrorOf(error);
  if (status >= 500) request.log.error({ err: error }, 'MOSIP request failed');
  else request.log.info({ errorCode }, 'MOSIP request refused');
  const shown = status >= 500 ? `${message} (request ${request.id})` : message;
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(errorBody(requestHead(request.body), errorCode, shown, new Date()));
}

/**
 * Registers the MOSIP Key Manager API; register it with `{ prefix: MOSIP_PREFIX }`.
 * @example void app.register(mosipPlugin, { kms, prefix: MOSIP_PREFIX });
 */
export async function mosipPlugin(app: FastifyInstance, options: { kms: Kms }): Promise<void> {
  const { kms } = options;
  app.setErrorHandler((error, request, reply) => sendMosipError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendMosipError(
      request,
      reply,
      new MosipError(KER_NOT_SERVED, `${request.url} is not a MOSIP key manager endpoint`, 404),
    ),
  );

  for (const endpoint of MOSIP_ENDPOINTS) {
    app.route({
      method: endpoint.method,
      url: endpoint.path,
      schema: { hide: true },
      handler: async (request, reply) => {
        const caller = request.caller;
        if (caller === undefined) throw new AuthenticationError();
        const source = endpoint.method === 'GET' ? (request.query as Record<string, unknown>) : requestOf(request.body);
        const response = await endpoint.handle({
          kms,
          caller,
          fields: new Fields(source),
          params: request.params as Record<string, string>,
          now: new Date(),
        });
        return reply.code(200).send(successBody(requestHead(request.body), response, new Date()));
      },
    });
  }

  const notServed = (what: string) => async (): Promise<never> => {
    throw new MosipError(KER_NOT_SERVED, `${what} is not served by Custos (see docs/mosip.md)`);
  };
  for (const path of MOSIP_NOT_SERVED) {
    app.route({
      method: [...ANY_METHOD],
      url: path,
      schema: { hide: true },
      handler: notServed(`${MOSIP_PREFIX}${path}`),
    });
  }
}
