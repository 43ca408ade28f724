// The server's logger: pino with a request id on every line (Fastify's child loggers), the Authorization header
// redacted, and no bodies (Fastify's request serializer logs method, url, host and remote address only).
// Must not be imported by service, store, keystore or core.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  /** pino level; default `info`. */
  readonly level?: string;
  /** Where lines go; default stdout. Tests pass a stream to read what was logged. */
  readonly stream?: DestinationStream;
}

/** Paths pino must never print, whatever a future serializer adds. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'request.headers.authorization',
  'token',
  '*.token',
  'plaintext',
  '*.plaintext',
  // Key PINs (key-pins): a key's PIN and PUK, as a header or a field, never printed.
  'req.headers["x-custos-key-pin"]',
  'headers["x-custos-key-pin"]',
  'request.headers["x-custos-key-pin"]',
  'pin',
  '*.pin',
  'keyPin',
  '*.keyPin',
  'puk',
  '*.puk',
  'newPin',
  '*.newPin',
];

/**
 * A pino logger for `buildApp`.
 * @example const logger = createLogger({ level: 'debug' });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const config = { level: options.level ?? 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return options.stream ? pino(config, options.stream) : pino(config);
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An incoming `x-request-id` when it looks sane (letters, digits, `._:-`, at most 128), else a random UUID. */
export function requestId(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}
