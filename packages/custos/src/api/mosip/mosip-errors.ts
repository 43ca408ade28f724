// The one table from Custos error codes to MOSIP key manager error codes (KeymanagerErrorConstant,
// CryptomanagerErrorCode, SignatureErrorCode), and the errors the MOSIP API raises itself (validation, not served,
// signing with a Base key). Must not be imported by service, store, keystore or core.
import { KmsError, type ErrorCode } from '@custos/contract';
import { HTTP_STATUS } from '../errors/http-status.js';

/** MOSIP's code for validation failures: "<field> should not be null or empty". */
const KER_VALIDATION = 'KER-KMS-005';
/** Anything unexpected: HTTP 500, as MOSIP's handler answers an unhandled exception. */
const KER_INTERNAL = 'KER-KMS-500';
/** Chosen by Custos for a MOSIP endpoint it does not serve (MOSIP has no such code; 501 as HTTP's Not Implemented). */
export const KER_NOT_SERVED = 'KER-KMS-501';
/** Signing with a Base key (jwtSign, jwsSign): SignatureServiceImpl.getSigningCertificate. */
export const KER_SIGN_BASE_KEY = 'KER-KMS-020';

/**
 * Custos codes that have a MOSIP counterpart. Every other code answers as `KER-CUSTOS-<CODE>` (stable: Custos codes
 * are never renamed), so a MOSIP client shows it and a Custos operator recognises it.
 */
const MOSIP_CODE: Partial<Record<ErrorCode, string>> = {
  KEYRING_POLICY_NOT_FOUND: 'KER-KMS-002',
  KEYRING_MASTER_KEY_USE: 'KER-CRY-011',
  KEYRING_KEY_NOT_FOUND: 'KER-KMS-025',
  KEYRING_CERTIFICATE_MISMATCH: 'KER-KMS-014',
  CERTIFICATE_KEY_MISMATCH: 'KER-KMS-014',
  KEYRING_UPLOAD_REFUSED: 'KER-KMS-015',
  KEYRING_REVOKE_REFUSED: 'KER-KMS-021',
  KEYRING_ACCESS_NOT_ALLOWED: 'KER-CRY-012',
  INVALID_CIPHERTEXT: 'KER-CRY-003',
  INVALID_CERTIFICATE: 'KER-KMS-013',
  VALIDATION_ERROR: KER_VALIDATION,
  UNAUTHENTICATED: 'KER-ATH-401',
  ACCESS_DENIED: 'KER-ATH-403',
  INTERNAL: KER_INTERNAL,
};

/** An error the MOSIP API itself raises, with its MOSIP code (answered on HTTP 200 unless `status` says otherwise). */
export class MosipError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly status = 200,
  ) {
    super(message);
    this.name = 'MosipError';
  }
}

/** MOSIP's bean-validation error for a missing field. */
export const missingField = (field: string): MosipError =>
  new MosipError(KER_VALIDATION, `${field} should not be null or empty`);

/** An invalid field value (a wrong timestamp format, a non-boolean). */
export const invalidField = (field: string, why: string): MosipError =>
  new MosipError(KER_VALIDATION, `${field} ${why}`);

/** What to answer for a thrown value: HTTP status, MOSIP code, message. */
export function mosipErrorOf(error: unknown): { status: number; errorCode: string; message: string } {
  if (error instanceof MosipError) return { status: error.status, errorCode: error.errorCode, message: error.message };
  if (error instanceof KmsError) {
    const errorCode = MOSIP_CODE[error.code] ?? `KER-CUSTOS-${error.code}`;
    const httpStatus = HTTP_STATUS[error.code];
    // Business errors ride on HTTP 200 (MOSIP's @ExceptionHandler); authentication and authorisation keep 401/403
    // (MOSIP's auth filter); a server-side failure keeps its 5xx.
    const status =
      error.code === 'UNAUTHENTICATED' || error.code === 'ACCESS_DENIED' || httpStatus >= 500 ? httpStatus : 200;
    return { status, errorCode, message: error.code === 'INTERNAL' ? 'internal error' : error.message };
  }
  const fastify = error as { statusCode?: unknown; code?: unknown } | null;
  if (fastify?.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { status: 413, errorCode: 'KER-CUSTOS-PAYLOAD_TOO_LARGE', message: 'the request body is too large' };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500)
    return { status: 200, errorCode: KER_VALIDATION, message: 'the request should be a JSON RequestWrapper' };
  return { status: 500, errorCode: KER_INTERNAL, message: 'internal error' };
}
