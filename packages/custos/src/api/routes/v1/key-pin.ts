// The PIN of a PIN-protected key on the native API: the `X-Custos-Key-Pin` header, or the body field `pin`, taken
// out of the body before the operation's schema sees it (CreateKey, whose schema has its own `pin`, keeps it).
// Must not be imported by service, store, keystore or core.
import type { FastifyRequest } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { KEY_PIN_HEADER, ValidationError } from '@custos/contract';

/**
 * The request's key PIN, or undefined; removes `pin` from a JSON body unless `schema` has a field of that name.
 * VALIDATION_ERROR for a header sent twice, a `pin` that is not a string, or a header and a body field that differ.
 */
export function takeKeyPin(request: FastifyRequest, schema: TSchema): string | undefined {
  const header = headerPin(request);
  const body = request.body;
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  if (body === null || typeof body !== 'object' || Array.isArray(body) || 'pin' in properties) return header;
  const fields = body as Record<string, unknown>;
  if (!Object.hasOwn(fields, 'pin')) return header;
  const pin = fields.pin;
  delete fields.pin;
  if (typeof pin !== 'string' || pin === '') throw new ValidationError('pin must be a non-empty string');
  if (header !== undefined && header !== pin) throw new ValidationError(`pin and ${KEY_PIN_HEADER} differ`);
  return pin;
}

/** The `X-Custos-Key-Pin` header, or undefined. Shared with the AWS endpoint. */
export function headerPin(request: FastifyRequest): string | undefined {
  const value = request.headers[KEY_PIN_HEADER];
  if (Array.isArray(value)) throw new ValidationError(`${KEY_PIN_HEADER} must be sent once`);
  if (value === undefined) return undefined;
  if (value === '') throw new ValidationError(`${KEY_PIN_HEADER} must not be empty`);
  return value;
}
