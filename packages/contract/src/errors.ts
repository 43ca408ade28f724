// The one error hierarchy of Custos: stable codes callers branch on, shared by LocalKms and RemoteKms.
// Must not import anything: the contract package has no runtime dependency but its schema library.

/**
 * Every code Custos can return. Codes are API: never renamed, never reused; messages may change.
 * `docs/errors.md` lists each one, and a test keeps that list and this union equal.
 */
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'INVALID_KEY_USAGE',
  'INVALID_ALIAS_NAME',
  'INVALID_MARKER',
  'INVALID_PUBLIC_KEY',
  'INVALID_KEY_MATERIAL',
  'INVALID_IMPORT_TOKEN',
  'EXPIRED_IMPORT_TOKEN',
  'INCORRECT_KEY_MATERIAL',
  'INCORRECT_KEY',
  'INVALID_CIPHERTEXT',
  'INVALID_SIGNATURE',
  'INVALID_MAC',
  'KEY_NOT_FOUND',
  'ALIAS_NOT_FOUND',
  'NOT_FOUND',
  'KEY_DISABLED',
  'INVALID_KEY_STATE',
  'KEY_NOT_YET_VALID',
  'KEY_EXPIRED',
  'ALREADY_EXISTS',
  'USAGE_LIMIT_EXCEEDED',
  'LIMIT_EXCEEDED',
  'ACCESS_DENIED',
  'UNSUPPORTED',
  'INTERNAL',
  'UNAUTHENTICATED',
  'PAYLOAD_TOO_LARGE',
  'UNAVAILABLE',
  'SEALED',
  'INVALID_SHARE',
  'FOREIGN_SHARE',
  'DUPLICATE_SHARE',
  'TOO_FEW_SHARES',
  'WRONG_SHARES',
  'INVALID_CERTIFICATE',
  'CERTIFICATE_KEY_MISMATCH',
  'CERTIFICATE_NOT_TRUSTED',
  'ISSUER_NOT_CA',
  'CUSTOM_KEY_STORE_NOT_FOUND',
  'CUSTOM_KEY_STORE_NAME_IN_USE',
  'CLOUD_HSM_CLUSTER_IN_USE',
  'CUSTOM_KEY_STORE_INVALID_STATE',
  'CUSTOM_KEY_STORE_HAS_KEYS',
  'INCORRECT_TRUST_ANCHOR',
  // Keyrings (MOSIP key manager; the MOSIP code each one answers as on /v1/keymanager in a comment)
  'KEYRING_POLICY_NOT_FOUND', // KER-KMS-002
  'KEYRING_MASTER_KEY_USE', // KER-CRY-011
  'KEYRING_KEY_NOT_FOUND', // KER-KMS-025
  'KEYRING_CERTIFICATE_MISMATCH', // KER-KMS-014
  'KEYRING_UPLOAD_REFUSED', // KER-KMS-015
  'KEYRING_REVOKE_REFUSED', // KER-KMS-021
  'KEYRING_ACCESS_NOT_ALLOWED', // KER-CRY-012
  'MALFORMED_POLICY_DOCUMENT',
  'INVALID_GRANT_TOKEN',
  'INVALID_GRANT_ID',
  // Key PINs (key-pins)
  'KEY_PIN_REQUIRED',
  'KEY_PIN_INVALID',
  'KEY_PIN_BLOCKED',
  'KEY_PUK_INVALID',
  'KEY_PUK_BLOCKED',
  'KEY_PIN_POLICY_VIOLATION',
  // Public-key-only keys (ImportPublicKey)
  'PUBLIC_KEY_ONLY',
  'PUBLIC_KEY_NOT_CANONICAL',
  'PUBLIC_KEY_EXPLICIT_CURVE',
  'PUBLIC_KEY_RSA_SIZE',
  'PUBLIC_KEY_RSA_EXPONENT',
  'PUBLIC_KEY_PEM_TYPE',
  'PUBLIC_KEY_PRIVATE_JWK',
  // Development mode (custos server --dev)
  'DEV_MODE_REQUIRED',
  'DEV_MODE_MISMATCH',
  // Usage and key versions (usage)
  'KEY_RECENTLY_USED',
  'KEY_VERSION_BELOW_MINIMUM',
  // Post-quantum keys (pq)
  'PQ_HSM_UNSUPPORTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base class: `code` is what callers branch on (`switch (err.code)` narrows). */
export class KmsError extends Error {
  readonly code: ErrorCode;
  /**
   * The request id of the failed call, when known: RemoteKms sets it from the server's error reply (or the
   * `x-request-id` it sent), so a caller can quote it and an operator can find the log lines and audit record.
   * `declare`d so that errors without one carry no such own property.
   */
  declare requestId?: string;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Input is malformed, out of range, or not allowed for this key (wrong usage, algorithm, size). */
export class ValidationError extends KmsError {
  constructor(
    message: string,
    code: Extract<
      ErrorCode,
      | 'VALIDATION_ERROR'
      | 'INVALID_KEY_USAGE'
      | 'INVALID_ALIAS_NAME'
      | 'INVALID_MARKER'
      | 'INVALID_PUBLIC_KEY'
      | 'INVALID_KEY_MATERIAL'
      | 'INVALID_IMPORT_TOKEN'
      | 'EXPIRED_IMPORT_TOKEN'
      | 'INCORRECT_KEY_MATERIAL'
      | 'INCORRECT_KEY'
      | 'PAYLOAD_TOO_LARGE'
      | 'INVALID_SHARE'
      | 'FOREIGN_SHARE'
      | 'DUPLICATE_SHARE'
      | 'TOO_FEW_SHARES'
      | 'WRONG_SHARES'
      | 'INVALID_CERTIFICATE'
      | 'CERTIFICATE_KEY_MISMATCH'
      | 'CERTIFICATE_NOT_TRUSTED'
      | 'INCORRECT_TRUST_ANCHOR'
      | 'MALFORMED_POLICY_DOCUMENT'
      | 'KEYRING_MASTER_KEY_USE'
      | 'KEYRING_CERTIFICATE_MISMATCH'
      | 'INVALID_GRANT_TOKEN'
      | 'INVALID_GRANT_ID'
      | 'KEY_PIN_POLICY_VIOLATION'
      | 'PUBLIC_KEY_ONLY'
      | 'PUBLIC_KEY_NOT_CANONICAL'
      | 'PUBLIC_KEY_EXPLICIT_CURVE'
      | 'PUBLIC_KEY_RSA_SIZE'
      | 'PUBLIC_KEY_RSA_EXPONENT'
      | 'PUBLIC_KEY_PEM_TYPE'
      | 'PUBLIC_KEY_PRIVATE_JWK'
    > = 'VALIDATION_ERROR',
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** A key, alias or other resource does not exist (or is not visible to the caller). */
export class NotFoundError extends KmsError {
  constructor(
    message: string,
    code: Extract<
      ErrorCode,
      | 'KEY_NOT_FOUND'
      | 'ALIAS_NOT_FOUND'
      | 'NOT_FOUND'
      | 'CUSTOM_KEY_STORE_NOT_FOUND'
      | 'KEYRING_POLICY_NOT_FOUND'
      | 'KEYRING_KEY_NOT_FOUND'
    > = 'NOT_FOUND',
  ) {
    super(code, message);
  }
}

/** The key exists but its state (or validity window) does not allow the operation. */
export class InvalidStateError extends KmsError {
  constructor(
    message: string,
    code: Extract<
      ErrorCode,
      | 'KEY_DISABLED'
      | 'INVALID_KEY_STATE'
      | 'KEY_NOT_YET_VALID'
      | 'KEY_EXPIRED'
      | 'ISSUER_NOT_CA'
      | 'CUSTOM_KEY_STORE_INVALID_STATE'
      | 'CUSTOM_KEY_STORE_HAS_KEYS'
      | 'KEYRING_UPLOAD_REFUSED'
      | 'KEYRING_REVOKE_REFUSED'
      | 'KEY_RECENTLY_USED'
      | 'KEY_VERSION_BELOW_MINIMUM'
    > = 'INVALID_KEY_STATE',
  ) {
    super(code, message);
  }
}

/** The caller is not allowed to do this. */
export class AccessDeniedError extends KmsError {
  constructor(
    message = 'access denied',
    /** `KEYRING_ACCESS_NOT_ALLOWED`: a keyring's policy is inactive or does not list the caller. */
    code: Extract<ErrorCode, 'ACCESS_DENIED' | 'KEYRING_ACCESS_NOT_ALLOWED'> = 'ACCESS_DENIED',
  ) {
    super(code, message);
  }
}

/**
 * The request carries no credentials, or credentials that are unknown, revoked, expired or malformed. One
 * message whatever the cause, so that it tells a guesser nothing.
 */
export class AuthenticationError extends KmsError {
  static readonly MESSAGE = 'missing or invalid credentials';
  constructor(message = AuthenticationError.MESSAGE) {
    super('UNAUTHENTICATED', message);
  }
}

/**
 * Decryption failed. One fixed message whatever went wrong (bad tag, truncated blob, wrong key,
 * wrong encryption context), so that the error leaks nothing.
 */
export class InvalidCiphertextError extends KmsError {
  static readonly MESSAGE = 'the ciphertext is invalid, or was not encrypted under this key and encryption context';
  constructor(options?: { cause?: unknown }) {
    super('INVALID_CIPHERTEXT', InvalidCiphertextError.MESSAGE, options);
  }
}

/** A signature or MAC did not verify (AWS raises rather than returning false). */
export class VerificationFailedError extends KmsError {
  constructor(code: Extract<ErrorCode, 'INVALID_SIGNATURE' | 'INVALID_MAC'>) {
    super(code, code === 'INVALID_SIGNATURE' ? 'the signature is not valid' : 'the MAC is not valid');
  }
}

/** The spec, algorithm, operation or field is not supported here. */
export class UnsupportedError extends KmsError {
  constructor(message: string, code: 'UNSUPPORTED' | 'PQ_HSM_UNSUPPORTED' = 'UNSUPPORTED') {
    super(code, message);
  }
}

/** The resource already exists (alias name, key id, custom key store name or token). */
export class ConflictError extends KmsError {
  constructor(
    message: string,
    code: Extract<
      ErrorCode,
      'ALREADY_EXISTS' | 'CUSTOM_KEY_STORE_NAME_IN_USE' | 'CLOUD_HSM_CLUSTER_IN_USE'
    > = 'ALREADY_EXISTS',
  ) {
    super(code, message);
  }
}

/** A quota was hit: a key's maximum number of uses, or a service limit. */
export class LimitExceededError extends KmsError {
  constructor(message: string, code: Extract<ErrorCode, 'USAGE_LIMIT_EXCEEDED' | 'LIMIT_EXCEEDED'> = 'LIMIT_EXCEEDED') {
    super(code, message);
  }
}

/** Something went wrong inside Custos; details go to the log, never to the caller. */
export class InternalError extends KmsError {
  constructor(message = 'internal error', options?: { cause?: unknown }) {
    super('INTERNAL', message, options);
  }
}

/**
 * The service could not be reached or did not answer in time (network failure, timeout, 502/503/504), or it is
 * temporarily unable to serve. The request may or may not have been carried out; operations safe to repeat
 * can be retried.
 */
export class UnavailableError extends KmsError {
  constructor(
    message = 'the service is unavailable',
    options?: { cause?: unknown },
    /** `SEALED`: the server is up but sealed (its root of trust awaits unseal shares); retry once it is unsealed. */
    code: Extract<ErrorCode, 'UNAVAILABLE' | 'SEALED'> = 'UNAVAILABLE',
  ) {
    super(code, message, options);
  }
}

/**
 * A key's PIN (or PUK) is missing, wrong, or the key is blocked by wrong PINs (docs/authorization.md, "Key PINs"):
 * the caller asks its user for the PIN, or unblocks the key. The message may say how many tries are left; it never
 * holds the PIN.
 */
export class KeyPinError extends KmsError {
  constructor(
    message: string,
    code: Extract<
      ErrorCode,
      'KEY_PIN_REQUIRED' | 'KEY_PIN_INVALID' | 'KEY_PIN_BLOCKED' | 'KEY_PUK_INVALID' | 'KEY_PUK_BLOCKED'
    >,
  ) {
    super(code, message);
  }
}

/**
 * Development mode (custos server --dev, docs/dev-mode.md): a development-only call on a server not in development
 * mode (DEV_MODE_REQUIRED), or a data directory opened in the other mode than the one it was made in
 * (DEV_MODE_MISMATCH: a development store's keys derive from a known seed, so it never becomes a production one).
 */
export class DevModeError extends KmsError {
  constructor(message: string, code: Extract<ErrorCode, 'DEV_MODE_REQUIRED' | 'DEV_MODE_MISMATCH'>) {
    super(code, message);
  }
}

type ErrorFactory = (message: string) => KmsError;

/** Which class carries each code: `errorFromCode` uses it to rebuild errors received over HTTP. */
export const ERROR_CLASS_BY_CODE: Record<ErrorCode, ErrorFactory> = {
  VALIDATION_ERROR: (m) => new ValidationError(m),
  INVALID_KEY_USAGE: (m) => new ValidationError(m, 'INVALID_KEY_USAGE'),
  INVALID_ALIAS_NAME: (m) => new ValidationError(m, 'INVALID_ALIAS_NAME'),
  INVALID_MARKER: (m) => new ValidationError(m, 'INVALID_MARKER'),
  INVALID_PUBLIC_KEY: (m) => new ValidationError(m, 'INVALID_PUBLIC_KEY'),
  INVALID_KEY_MATERIAL: (m) => new ValidationError(m, 'INVALID_KEY_MATERIAL'),
  INVALID_IMPORT_TOKEN: (m) => new ValidationError(m, 'INVALID_IMPORT_TOKEN'),
  EXPIRED_IMPORT_TOKEN: (m) => new ValidationError(m, 'EXPIRED_IMPORT_TOKEN'),
  INCORRECT_KEY_MATERIAL: (m) => new ValidationError(m, 'INCORRECT_KEY_MATERIAL'),
  INCORRECT_KEY: (m) => new ValidationError(m, 'INCORRECT_KEY'),
  INVALID_CIPHERTEXT: () => new InvalidCiphertextError(),
  INVALID_SIGNATURE: () => new VerificationFailedError('INVALID_SIGNATURE'),
  INVALID_MAC: () => new VerificationFailedError('INVALID_MAC'),
  KEY_NOT_FOUND: (m) => new NotFoundError(m, 'KEY_NOT_FOUND'),
  ALIAS_NOT_FOUND: (m) => new NotFoundError(m, 'ALIAS_NOT_FOUND'),
  NOT_FOUND: (m) => new NotFoundError(m),
  KEY_DISABLED: (m) => new InvalidStateError(m, 'KEY_DISABLED'),
  INVALID_KEY_STATE: (m) => new InvalidStateError(m),
  KEY_NOT_YET_VALID: (m) => new InvalidStateError(m, 'KEY_NOT_YET_VALID'),
  KEY_EXPIRED: (m) => new InvalidStateError(m, 'KEY_EXPIRED'),
  ALREADY_EXISTS: (m) => new ConflictError(m),
  USAGE_LIMIT_EXCEEDED: (m) => new LimitExceededError(m, 'USAGE_LIMIT_EXCEEDED'),
  LIMIT_EXCEEDED: (m) => new LimitExceededError(m),
  ACCESS_DENIED: (m) => new AccessDeniedError(m),
  UNSUPPORTED: (m) => new UnsupportedError(m),
  INTERNAL: (m) => new InternalError(m),
  UNAUTHENTICATED: (m) => new AuthenticationError(m),
  PAYLOAD_TOO_LARGE: (m) => new ValidationError(m, 'PAYLOAD_TOO_LARGE'),
  UNAVAILABLE: (m) => new UnavailableError(m),
  SEALED: (m) => new UnavailableError(m, undefined, 'SEALED'),
  INVALID_SHARE: (m) => new ValidationError(m, 'INVALID_SHARE'),
  FOREIGN_SHARE: (m) => new ValidationError(m, 'FOREIGN_SHARE'),
  DUPLICATE_SHARE: (m) => new ValidationError(m, 'DUPLICATE_SHARE'),
  TOO_FEW_SHARES: (m) => new ValidationError(m, 'TOO_FEW_SHARES'),
  WRONG_SHARES: (m) => new ValidationError(m, 'WRONG_SHARES'),
  INVALID_CERTIFICATE: (m) => new ValidationError(m, 'INVALID_CERTIFICATE'),
  CERTIFICATE_KEY_MISMATCH: (m) => new ValidationError(m, 'CERTIFICATE_KEY_MISMATCH'),
  CERTIFICATE_NOT_TRUSTED: (m) => new ValidationError(m, 'CERTIFICATE_NOT_TRUSTED'),
  ISSUER_NOT_CA: (m) => new InvalidStateError(m, 'ISSUER_NOT_CA'),
  CUSTOM_KEY_STORE_NOT_FOUND: (m) => new NotFoundError(m, 'CUSTOM_KEY_STORE_NOT_FOUND'),
  CUSTOM_KEY_STORE_NAME_IN_USE: (m) => new ConflictError(m, 'CUSTOM_KEY_STORE_NAME_IN_USE'),
  CLOUD_HSM_CLUSTER_IN_USE: (m) => new ConflictError(m, 'CLOUD_HSM_CLUSTER_IN_USE'),
  CUSTOM_KEY_STORE_INVALID_STATE: (m) => new InvalidStateError(m, 'CUSTOM_KEY_STORE_INVALID_STATE'),
  CUSTOM_KEY_STORE_HAS_KEYS: (m) => new InvalidStateError(m, 'CUSTOM_KEY_STORE_HAS_KEYS'),
  INCORRECT_TRUST_ANCHOR: (m) => new ValidationError(m, 'INCORRECT_TRUST_ANCHOR'),
  KEYRING_POLICY_NOT_FOUND: (m) => new NotFoundError(m, 'KEYRING_POLICY_NOT_FOUND'),
  KEYRING_MASTER_KEY_USE: (m) => new ValidationError(m, 'KEYRING_MASTER_KEY_USE'),
  KEYRING_KEY_NOT_FOUND: (m) => new NotFoundError(m, 'KEYRING_KEY_NOT_FOUND'),
  KEYRING_CERTIFICATE_MISMATCH: (m) => new ValidationError(m, 'KEYRING_CERTIFICATE_MISMATCH'),
  KEYRING_UPLOAD_REFUSED: (m) => new InvalidStateError(m, 'KEYRING_UPLOAD_REFUSED'),
  KEYRING_REVOKE_REFUSED: (m) => new InvalidStateError(m, 'KEYRING_REVOKE_REFUSED'),
  KEYRING_ACCESS_NOT_ALLOWED: (m) => new AccessDeniedError(m, 'KEYRING_ACCESS_NOT_ALLOWED'),
  MALFORMED_POLICY_DOCUMENT: (m) => new ValidationError(m, 'MALFORMED_POLICY_DOCUMENT'),
  INVALID_GRANT_TOKEN: (m) => new ValidationError(m, 'INVALID_GRANT_TOKEN'),
  INVALID_GRANT_ID: (m) => new ValidationError(m, 'INVALID_GRANT_ID'),
  // Key PINs (key-pins)
  KEY_PIN_REQUIRED: (m) => new KeyPinError(m, 'KEY_PIN_REQUIRED'),
  KEY_PIN_INVALID: (m) => new KeyPinError(m, 'KEY_PIN_INVALID'),
  KEY_PIN_BLOCKED: (m) => new KeyPinError(m, 'KEY_PIN_BLOCKED'),
  KEY_PUK_INVALID: (m) => new KeyPinError(m, 'KEY_PUK_INVALID'),
  KEY_PUK_BLOCKED: (m) => new KeyPinError(m, 'KEY_PUK_BLOCKED'),
  KEY_PIN_POLICY_VIOLATION: (m) => new ValidationError(m, 'KEY_PIN_POLICY_VIOLATION'),
  PUBLIC_KEY_ONLY: (m) => new ValidationError(m, 'PUBLIC_KEY_ONLY'),
  PUBLIC_KEY_NOT_CANONICAL: (m) => new ValidationError(m, 'PUBLIC_KEY_NOT_CANONICAL'),
  PUBLIC_KEY_EXPLICIT_CURVE: (m) => new ValidationError(m, 'PUBLIC_KEY_EXPLICIT_CURVE'),
  PUBLIC_KEY_RSA_SIZE: (m) => new ValidationError(m, 'PUBLIC_KEY_RSA_SIZE'),
  PUBLIC_KEY_RSA_EXPONENT: (m) => new ValidationError(m, 'PUBLIC_KEY_RSA_EXPONENT'),
  PUBLIC_KEY_PEM_TYPE: (m) => new ValidationError(m, 'PUBLIC_KEY_PEM_TYPE'),
  PUBLIC_KEY_PRIVATE_JWK: (m) => new ValidationError(m, 'PUBLIC_KEY_PRIVATE_JWK'),
  DEV_MODE_REQUIRED: (m) => new DevModeError(m, 'DEV_MODE_REQUIRED'),
  DEV_MODE_MISMATCH: (m) => new DevModeError(m, 'DEV_MODE_MISMATCH'),
  // Usage and key versions (usage)
  KEY_RECENTLY_USED: (m) => new InvalidStateError(m, 'KEY_RECENTLY_USED'),
  KEY_VERSION_BELOW_MINIMUM: (m) => new InvalidStateError(m, 'KEY_VERSION_BELOW_MINIMUM'),
  PQ_HSM_UNSUPPORTED: (m) => new UnsupportedError(m, 'PQ_HSM_UNSUPPORTED'),
};

/** Rebuilds the right error class from a code received over the wire; unknown codes become INTERNAL. */
export function errorFromCode(code: string, message: string): KmsError {
  const factory = (ERROR_CLASS_BY_CODE as Record<string, ErrorFactory | undefined>)[code];
  return factory ? factory(message) : new InternalError(message);
}

export function isKmsError(value: unknown): value is KmsError {
  return value instanceof KmsError;
}
