// Every error code mapped to the HTTP status of the native REST API. Lower layers never pick statuses.
// Must not be imported by service, store, keystore or core.
import type { ErrorCode } from '@custos/contract';

/** A code without a status does not compile. docs/errors.md lists the same mapping (checked by a test). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  INVALID_KEY_USAGE: 400,
  INVALID_ALIAS_NAME: 400,
  INVALID_MARKER: 400,
  INVALID_PUBLIC_KEY: 400,
  INVALID_KEY_MATERIAL: 400,
  INVALID_IMPORT_TOKEN: 400,
  EXPIRED_IMPORT_TOKEN: 400,
  INCORRECT_KEY_MATERIAL: 400,
  INCORRECT_KEY: 400,
  INVALID_CIPHERTEXT: 400,
  INVALID_SIGNATURE: 400,
  INVALID_MAC: 400,
  KEY_NOT_FOUND: 404,
  ALIAS_NOT_FOUND: 404,
  NOT_FOUND: 404,
  KEY_DISABLED: 409,
  INVALID_KEY_STATE: 409,
  KEY_NOT_YET_VALID: 409,
  KEY_EXPIRED: 409,
  ALREADY_EXISTS: 409,
  USAGE_LIMIT_EXCEEDED: 409,
  LIMIT_EXCEEDED: 429,
  ACCESS_DENIED: 403,
  UNSUPPORTED: 400,
  INTERNAL: 500,
  UNAUTHENTICATED: 401,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
};
