// Turns an HTTP reply into a Kms result or a KmsError of the class and code the server sent (STYLE §4).
// Must not import anything but @custos/contract.
import {
  InternalError,
  KmsError,
  OPERATIONS,
  UnavailableError,
  errorFromCode,
  fromWire,
  type OperationMethod,
} from '@custos/contract';
import { RETRYABLE_STATUSES } from './retry.js';

/** What came back from one try: status, body text, and the `x-request-id` header. */
export interface HttpReply {
  readonly status: number;
  readonly text: string;
  readonly requestId: string | null;
}

/**
 * The result of `operation` from a 2xx reply, decoded from the wire form by the response schema (base64 →
 * Uint8Array, ISO strings → Date); an empty body is `{}`. Any other reply throws: the error of its body
 * `{ error: { code, message, requestId } }` rebuilt by `errorFromCode` (so `instanceof` and `code` match
 * LocalKms), with `requestId` set; a body without one gives UNAVAILABLE for 502/503/504 (a proxy speaking)
 * and INTERNAL naming the status otherwise.
 *
 * @example
 * decodeReply('generateRandom', { status: 200, text: '{"plaintext":"AQI="}', requestId: null }, 'r1'); // { plaintext: Uint8Array [1, 2] }
 */
export function decodeReply(operation: OperationMethod, reply: HttpReply, sentRequestId: string): unknown {
  const name = OPERATIONS[operation].name;
  if (reply.status >= 200 && reply.status < 300) {
    const json = parseJson(reply.text === '' ? '{}' : reply.text);
    if (json === undefined || json === null || typeof json !== 'object') {
      throw withRequestId(
        new InternalError(`${name}: the server sent a reply that is not a JSON object (HTTP ${reply.status})`),
        reply,
        sentRequestId,
      );
    }
    try {
      // Results are the caller's: bytes over buffers of their own, as LocalKms returns them (a caller may wipe them).
      return fromWire(OPERATIONS[operation].response, json, { ownBytes: true });
    } catch (cause) {
      throw withRequestId(
        new InternalError(`${name}: the server sent a malformed reply`, { cause }),
        reply,
        sentRequestId,
      );
    }
  }
  const body = parseJson(reply.text) as
    { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | undefined;
  const error = body?.error;
  if (error && typeof error === 'object' && typeof error.code === 'string') {
    const rebuilt = errorFromCode(error.code, typeof error.message === 'string' ? error.message : error.code);
    return throwWith(
      rebuilt,
      typeof error.requestId === 'string' ? error.requestId : (reply.requestId ?? sentRequestId),
    );
  }
  const message = `${name}: HTTP ${reply.status} with no Custos error in the reply`;
  throw withRequestId(
    RETRYABLE_STATUSES.has(reply.status) ? new UnavailableError(message) : new InternalError(message),
    reply,
    sentRequestId,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function withRequestId(error: KmsError, reply: HttpReply, sentRequestId: string): KmsError {
  error.requestId = reply.requestId ?? sentRequestId;
  return error;
}

function throwWith(error: KmsError, requestId: string): never {
  error.requestId = requestId;
  throw error;
}
