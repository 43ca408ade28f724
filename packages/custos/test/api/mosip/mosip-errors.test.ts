import { describe, expect, it } from 'vitest';
import { ERROR_CLASS_BY_CODE, ERROR_CODES, InternalError, UnavailableError } from '@custos/contract';
import { mosipErrorOf, MosipError } from '../../../src/api/mosip/mosip-errors.js';

describe('MOSIP error mapping', () => {
  it('maps the keyring codes to the MOSIP codes the spec names, on HTTP 200', () => {
    const expected: Record<string, string> = {
      KEYRING_POLICY_NOT_FOUND: 'KER-KMS-002',
      KEYRING_MASTER_KEY_USE: 'KER-CRY-011',
      KEYRING_KEY_NOT_FOUND: 'KER-KMS-025',
      KEYRING_CERTIFICATE_MISMATCH: 'KER-KMS-014',
      KEYRING_UPLOAD_REFUSED: 'KER-KMS-015',
      KEYRING_REVOKE_REFUSED: 'KER-KMS-021',
      KEYRING_ACCESS_NOT_ALLOWED: 'KER-CRY-012',
      INVALID_CIPHERTEXT: 'KER-CRY-003',
      VALIDATION_ERROR: 'KER-KMS-005',
    };
    for (const [code, mosip] of Object.entries(expected)) {
      const error = ERROR_CLASS_BY_CODE[code as keyof typeof ERROR_CLASS_BY_CODE]('m');
      expect(mosipErrorOf(error), code).toMatchObject({ status: 200, errorCode: mosip, message: error.message });
    }
  });

  it('every Custos code has an answer; those without a MOSIP counterpart are KER-CUSTOS-<CODE>', () => {
    for (const code of ERROR_CODES) {
      const { errorCode, status } = mosipErrorOf(ERROR_CLASS_BY_CODE[code]('m'));
      expect(errorCode).toMatch(/^KER-[A-Z]+-[0-9A-Z_]+$/);
      expect([200, 401, 403, 500, 503]).toContain(status);
    }
    expect(mosipErrorOf(ERROR_CLASS_BY_CODE.KEY_DISABLED('m')).errorCode).toBe('KER-CUSTOS-KEY_DISABLED');
  });

  it('the unexpected is KER-KMS-500 on HTTP 500 and says nothing more; a 5xx Custos code keeps its status', () => {
    expect(mosipErrorOf(new Error('secret detail'))).toEqual({
      status: 500,
      errorCode: 'KER-KMS-500',
      message: 'internal error',
    });
    expect(mosipErrorOf(new InternalError('db row 7 broke'))).toEqual({
      status: 500,
      errorCode: 'KER-KMS-500',
      message: 'internal error',
    });
    expect(mosipErrorOf(new UnavailableError('retry')).status).toBe(503);
    expect(mosipErrorOf(new MosipError('KER-KMS-501', 'x', 404))).toEqual({
      status: 404,
      errorCode: 'KER-KMS-501',
      message: 'x',
    });
  });
});
