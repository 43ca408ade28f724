// MOSIP's RequestWrapper / ResponseWrapper (mosip/commons kernel-core http): the request's `id` and `version` are
// copied into the reply, `responsetime` is UTC `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, `metadata` null, and exactly one of
// `response` and `errors` is non-null. Must not be imported by service, store, keystore or core.
import { invalidField, missingField } from './mosip-errors.js';

/** The MOSIP date-time format: `2024-01-01T10:00:00.000Z`. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;

/** A Date in MOSIP's format. @example mosipTime(new Date(0)) // '1970-01-01T00:00:00.000Z' */
export function mosipTime(date: Date): string {
  return date.toISOString(); // always `yyyy-MM-ddTHH:mm:ss.SSSZ` for years 0000..9999
}

/** Checks a MOSIP timestamp field: the exact format and a real date (no 2024-02-30). */
export function checkTimestamp(field: string, value: unknown): void {
  if (typeof value !== 'string') throw missingField(field);
  const m = TIMESTAMP.exec(value);
  const date = new Date(value);
  if (m === null || Number.isNaN(date.getTime()) || date.toISOString() !== value)
    throw invalidField(field, "should be in the format yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
}

/** The envelope fields a reply copies. */
export interface RequestHead {
  readonly id: string | null;
  readonly version: string | null;
}

/** `id` and `version` of a request body, whatever else it holds (also for error replies). */
export function requestHead(body: unknown): RequestHead {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return {
    id: typeof b.id === 'string' ? b.id : null,
    version: typeof b.version === 'string' ? b.version : null,
  };
}

/** The `request` object of a RequestWrapper (the only @NotNull field); `requesttime`, when given, is checked. */
export function requestOf(body: unknown): Record<string, unknown> {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (b.requesttime !== undefined && b.requesttime !== null) checkTimestamp('requesttime', b.requesttime);
  const request = b.request;
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw missingField('request');
  return request as Record<string, unknown>;
}

/** A success reply. */
export function successBody(head: RequestHead, response: unknown, now: Date): Record<string, unknown> {
  return { id: head.id, version: head.version, responsetime: mosipTime(now), metadata: null, response, errors: null };
}

/** An error reply: `response` null, one ServiceError. */
export function errorBody(head: RequestHead, errorCode: string, message: string, now: Date): Record<string, unknown> {
  return {
    id: head.id,
    version: head.version,
    responsetime: mosipTime(now),
    metadata: null,
    response: null,
    errors: [{ errorCode, message }],
  };
}
