// Assertions on Kms errors shared by the tests of every package: a call rejects with a KmsError of a given code.
// Must not import anything but vitest and the contract's errors (the client's and the server's tests use it too).
import { expect } from 'vitest';
import { KmsError, type ErrorCode } from '../../src/index.js';

type ErrorClass = abstract new (...args: never[]) => KmsError;

/**
 * Awaits `promise` and asserts it rejects with a KmsError carrying `code` (and of class `type`, when given).
 * @example await expectKmsError(kms.describeKey({ keyId: 'alias/none' }), 'KEY_NOT_FOUND', NotFoundError);
 */
export async function expectKmsError(
  promise: Promise<unknown>,
  code: ErrorCode,
  type: ErrorClass = KmsError,
): Promise<KmsError> {
  const error = await kmsRejection(promise, type);
  expect(error.code, `expected ${type.name} ${code}`).toBe(code);
  return error;
}

/** Awaits `promise` and asserts it rejects with a KmsError (of class `type`, when given), whatever its code. */
export async function kmsRejection(promise: Promise<unknown>, type: ErrorClass = KmsError): Promise<KmsError> {
  const error = await promise.then(
    (value: unknown) => ({ resolved: value }),
    (e: unknown) => e,
  );
  expect(error, `expected a ${type.name}`).toBeInstanceOf(type);
  return error as KmsError;
}
