// The AWS JSON error reply of the AWS endpoint (plugin.ts): every failure, the protocol's own and the service's,
// answered as AWS KMS answers it. Must not be imported by service, store, keystore or core.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '@custos/contract';
import { describeError } from '../plugins/errors.js';
import { AWS_EXCEPTION } from './errors.js';
import { AwsProtocolError, type AwsProtocolException } from './protocol-errors.js';

const AWS_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** The error code metrics and logs record for a protocol failure (AWS names stay on the wire). */
const PROTOCOL_ERROR_CODE: Record<AwsProtocolException, ErrorCode> = {
  MissingAuthenticationTokenException: 'UNAUTHENTICATED',
  IncompleteSignatureException: 'UNAUTHENTICATED',
  InvalidSignatureException: 'UNAUTHENTICATED',
  UnrecognizedClientException: 'UNAUTHENTICATED',
  SerializationException: 'VALIDATION_ERROR',
  UnknownOperationException: 'UNSUPPORTED',
  UnsupportedOperationException: 'UNSUPPORTED',
};

/**
 * The AWS JSON error reply: `{ "__type": name, "message": ... }` with `x-amzn-ErrorType`, status 400 for client
 * errors and 500 for server faults (KMSInternalException, DependencyTimeoutException), as AWS KMS answers.
 * Everything but the protocol's own failures is classified by the REST API's describeError (code, safe message,
 * 5xx details withheld); only the exception name and the status are AWS's.
 */
function describeAwsError(
  error: unknown,
  requestId: string,
): { status: number; type: string; message: string; code: ErrorCode } {
  if (error instanceof AwsProtocolError) {
    return { status: 400, type: error.exception, message: error.message, code: PROTOCOL_ERROR_CODE[error.exception] };
  }
  const { status, code, message } = describeError(error);
  return {
    status: status >= 500 ? 500 : 400,
    type: AWS_EXCEPTION[code],
    // An internal error's message is only "internal error": the request id lets an operator find the log line.
    message: code === 'INTERNAL' ? `${message} (request ${requestId})` : message,
    code,
  };
}

export function sendAwsError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const requestId = request.id;
  const { status, type, message, code } = describeAwsError(error, requestId);
  if (status >= 500 && code !== 'SEALED') request.log.error({ err: error }, 'request failed');
  else request.log.info({ code, awsType: type }, 'request refused');
  request.errorCode = code;
  // Refused before its body was read (unauthenticated, or too large): close the connection rather than read the
  // rest of a body nobody will use, which may never end.
  if (!request.raw.complete) void reply.header('connection', 'close');
  return reply
    .code(status)
    .header('content-type', AWS_CONTENT_TYPE)
    .header('x-amzn-RequestId', requestId)
    .header('x-amzn-ErrorType', type)
    .send(Buffer.from(JSON.stringify({ __type: type, message }), 'utf8'));
}
