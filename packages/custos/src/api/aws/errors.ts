// Every error code mapped to the exception name the AWS KMS JSON protocol returns (`__type`), so AWS SDKs raise
// their own exception classes. Must not be imported by service, store, keystore or core.
import type { ErrorCode } from '@custos/contract';

/** A code without an AWS name does not compile. docs/errors.md lists the same mapping (checked by a test). */
export const AWS_EXCEPTION: Record<ErrorCode, string> = {
  VALIDATION_ERROR: 'ValidationException',
  INVALID_KEY_USAGE: 'InvalidKeyUsageException',
  INVALID_ALIAS_NAME: 'InvalidAliasNameException',
  INVALID_MARKER: 'InvalidMarkerException',
  INVALID_PUBLIC_KEY: 'ValidationException',
  INVALID_KEY_MATERIAL: 'IncorrectKeyMaterialException',
  INVALID_IMPORT_TOKEN: 'InvalidImportTokenException',
  EXPIRED_IMPORT_TOKEN: 'ExpiredImportTokenException',
  INCORRECT_KEY_MATERIAL: 'IncorrectKeyMaterialException',
  INCORRECT_KEY: 'IncorrectKeyException',
  INVALID_CIPHERTEXT: 'InvalidCiphertextException',
  INVALID_SIGNATURE: 'KMSInvalidSignatureException',
  INVALID_MAC: 'KMSInvalidMacException',
  KEY_NOT_FOUND: 'NotFoundException',
  ALIAS_NOT_FOUND: 'NotFoundException',
  NOT_FOUND: 'NotFoundException',
  KEY_DISABLED: 'DisabledException',
  INVALID_KEY_STATE: 'KMSInvalidStateException',
  KEY_NOT_YET_VALID: 'KMSInvalidStateException',
  KEY_EXPIRED: 'KMSInvalidStateException',
  ALREADY_EXISTS: 'AlreadyExistsException',
  USAGE_LIMIT_EXCEEDED: 'LimitExceededException',
  LIMIT_EXCEEDED: 'LimitExceededException',
  ACCESS_DENIED: 'AccessDeniedException',
  UNSUPPORTED: 'UnsupportedOperationException',
  INTERNAL: 'KMSInternalException',
  UNAUTHENTICATED: 'UnrecognizedClientException',
  PAYLOAD_TOO_LARGE: 'ValidationException',
  UNAVAILABLE: 'DependencyTimeoutException',
  // AWS's "the KMS key was not available; you can retry the request" (HTTP 500): AWS SDKs retry every 500/503.
  SEALED: 'KeyUnavailableException',
  // The unseal route is REST only; these names are for completeness.
  INVALID_SHARE: 'ValidationException',
  FOREIGN_SHARE: 'ValidationException',
  DUPLICATE_SHARE: 'ValidationException',
  TOO_FEW_SHARES: 'ValidationException',
  WRONG_SHARES: 'ValidationException',
  INVALID_CERTIFICATE: 'ValidationException',
  CERTIFICATE_KEY_MISMATCH: 'ValidationException',
  CERTIFICATE_NOT_TRUSTED: 'ValidationException',
  ISSUER_NOT_CA: 'KMSInvalidStateException',
};
