// Public-key-only keys (ImportPublicKey): the operations such a key allows, checked for every key a call loads.
// Must not import api. An allow-list, so an operation added later is refused until it is listed here.
import { ValidationError } from '@custos/contract';
import type { KeyRecord } from '../store/types.js';
import type { RunningOperation } from './lifecycle.js';

/**
 * What a key without private material can do: describe and manage it, read its public key, verify and encrypt with
 * it. Everything else (Sign, Decrypt, DeriveSharedSecret, ExportKey, rotation, import of material, CSRs, attestation,
 * ReEncrypt, data key pairs, ...) needs a private key Custos does not hold.
 */
const PUBLIC_KEY_OPERATIONS: ReadonlySet<string> = new Set([
  // the public key and its uses
  'DescribeKey',
  'GetPublicKey',
  'GetJwk',
  'Verify',
  'VerifyJws',
  'VerifyJose',
  'Encrypt',
  'EncryptJwe',
  'GetKeyCertificate',
  'SetKeyCertificate',
  // management that touches no material
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'DestroyKey',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
  'TagResource',
  'UntagResource',
  'ListResourceTags',
  'UpdateKeyDescription',
  'UpdateKeyConstraints',
  'UpdateKeyPublishJwk',
  'PutKeyPolicy',
  'GetKeyPolicy',
  'ListKeyPolicies',
  'CreateGrant',
  'ListGrants',
  'ListRetirableGrants',
  'RetireGrant',
  'RevokeGrant',
  'GetKeyRotationStatus',
  'ListKeyRotations',
  'GetKeyUsage',
]);

/** Throws PUBLIC_KEY_ONLY when `key` is public-key-only and `operation` needs more than its public key. */
export function checkPublicKeyOnly(operation: RunningOperation, key: KeyRecord): void {
  if (key.publicKeyOnly && !PUBLIC_KEY_OPERATIONS.has(operation.name)) throw publicKeyOnlyError(operation.name, key.id);
}

/** The refusal of a use that needs the private key of a public-key-only key. */
export function publicKeyOnlyError(what: string, keyId: string): ValidationError {
  return new ValidationError(
    `${what} needs a private key: ${keyId} is a public key imported alone (ImportPublicKey)`,
    'PUBLIC_KEY_ONLY',
  );
}
