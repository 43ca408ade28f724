// The one error handler of the REST API: every failure becomes `{ error: { code, message, requestId } }` with the
// status from HTTP_STATUS. Must not be imported by service, store, keystore or core (STYLE §4: lower layers throw
// domain errors; only this file and http-status.ts know about HTTP).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { KmsError, type ErrorCode } from '@custos/contract';
import { HTTP_STATUS } from '../errors/http-status.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The error code of the reply, when it is an error (for metrics). */
    errorCode?: ErrorCode;
  }
}

/** The body of every error reply. */
interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string };
}

/**
 * What Fastify's own client errors (raised before our handler runs) mean in our codes. Statuses stay Fastify's
 * where HTTP has a more precise one than the code's default (415 for a content type other than JSON).
 */
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; status: number; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', status: 413, message: 'the request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'VALIDATION_ERROR',
    status: 415,
    message: 'the request body must be application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'VALIDATION_ERROR',
    status: 400,
    message: 'the content-length does not match the body',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_ERROR', status: 400, message: 'the request body is empty' },
  // V8's JSON.parse messages quote the body, which may hold plaintext: say only that it is not JSON.
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'VALIDATION_ERROR',
    status: 400,
    message: 'the request body is not valid JSON',
  },
  FST_ERR_BAD_URL: { code: 'VALIDATION_ERROR', status: 400, message: 'the request URL is malformed' },
  FST_ERR_NOT_FOUND: { code: 'NOT_FOUND', status: 404, message: 'no such route' },
};

/** Status, code and message for any thrown value; INTERNAL for anything not understood. */
export function describeError(error: unknown): { status: number; code: ErrorCode; message: string } {
  if (error instanceof KmsError) {
    // An internal error's message may name what broke inside; UNAVAILABLE's are Custos's own "retry later" texts.
    return {
      status: HTTP_STATUS[error.code],
      code: error.code,
      message: error.code === 'INTERNAL' ? 'internal error' : error.message,
    };
  }
  const fastifyError = error as Partial<FastifyError> | null;
  const known = typeof fastifyError?.code === 'string' ? FASTIFY_ERRORS[fastifyError.code] : undefined;
  if (known) return { status: known.status, code: known.code, message: known.message ?? String(fastifyError?.message) };
  const status = typeof fastifyError?.statusCode === 'number' ? fastifyError.statusCode : 500;
  // Other client errors Fastify raises (parsing, framing): the request was wrong, never a 500.
  if (status === 413) return { status, code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' };
  if (status === 429) return { status, code: 'LIMIT_EXCEEDED', message: 'too many requests' };
  if (status === 404) return { status, code: 'NOT_FOUND', message: 'not found' };
  if (status >= 400 && status < 500)
    return { status: 400, code: 'VALIDATION_ERROR', message: 'the request is malformed' };
  return { status: 500, code: 'INTERNAL', message: 'internal error' };
}

/** Sends the error body (also used by the not-found handler and Fastify's framework-error hook). */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const { status, code, message } = describeError(error);
  // SEALED is a state, not a failure: every call to a sealed server gets it, so it is no error line.
  if (status >= 500 && code !== 'SEALED') request.log.error({ err: error }, 'request failed');
  else request.log.info({ code }, 'request refused');
  request.errorCode = code;
  void reply.header('x-request-id', request.id); // onSend sets it too; framework errors may be answered outside the hooks
  if (code === 'UNAUTHENTICATED') void reply.header('www-authenticate', 'Bearer');
  const body: ErrorBody = { error: { code, message, requestId: request.id } };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Installs the error and not-found handlers on the whole app (fastify-plugin: not encapsulated). */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
    app.setNotFoundHandler((request, reply) => sendError(request, reply, { code: 'FST_ERR_NOT_FOUND' }));
  },
  { name: 'custos-errors' },
);
