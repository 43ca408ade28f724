// What a grant may say about a key (AWS CreateGrant's validation): the operations that apply to the key's type, and
// encryption context constraints only on symmetric encryption keys. Must not import api or store.
import { ValidationError, type GrantConstraints, type GrantOperation, type KeyUsage } from '@custos/contract';
import { isSymmetric, specEntry } from '../../core/key-specs.js';
import type { GrantConstraintsRecord, KeyRecord } from '../../store/types.js';

interface KeyKind {
  readonly usage: KeyUsage;
  readonly symmetric: boolean;
}

const encrypting = (k: KeyKind) => k.usage === 'ENCRYPT_DECRYPT';
const symmetricEncrypting = (k: KeyKind) => k.usage === 'ENCRYPT_DECRYPT' && k.symmetric;
const any = () => true;

/** Each grant operation and the keys it applies to (AWS: "grant operations must be allowed on the key type"). */
const APPLIES_TO: Readonly<Record<GrantOperation, (key: KeyKind) => boolean>> = {
  Encrypt: encrypting,
  Decrypt: encrypting,
  ReEncryptFrom: encrypting,
  ReEncryptTo: encrypting,
  GenerateDataKey: symmetricEncrypting,
  GenerateDataKeyWithoutPlaintext: symmetricEncrypting,
  GenerateDataKeyPair: symmetricEncrypting,
  GenerateDataKeyPairWithoutPlaintext: symmetricEncrypting,
  Sign: (k) => k.usage === 'SIGN_VERIFY',
  Verify: (k) => k.usage === 'SIGN_VERIFY',
  GetPublicKey: (k) => !k.symmetric,
  GenerateMac: (k) => k.usage === 'GENERATE_VERIFY_MAC',
  VerifyMac: (k) => k.usage === 'GENERATE_VERIFY_MAC',
  DeriveSharedSecret: (k) => k.usage === 'KEY_AGREEMENT',
  CreateGrant: any,
  RetireGrant: any,
  DescribeKey: any,
};

/** The grant's operations and constraints as stored: operations once each, in AWS's order; no empty constraints. */
export interface CheckedGrant {
  readonly operations: readonly GrantOperation[];
  readonly constraints: GrantConstraintsRecord | null;
}

/**
 * Checks a CreateGrant's operations and constraints against the key (VALIDATION_ERROR, AWS ValidationException):
 * every operation must apply to the key's type; encryption context constraints only on symmetric encryption keys
 * (AWS: asymmetric and HMAC keys take no encryption context).
 */
export function checkGrant(
  key: KeyRecord,
  operations: readonly GrantOperation[],
  constraints: GrantConstraints | undefined,
): CheckedGrant {
  const kind: KeyKind = { usage: key.usage, symmetric: isSymmetric(specEntry(key.spec)) };
  for (const operation of operations)
    if (!APPLIES_TO[operation](kind))
      throw new ValidationError(`a grant on a ${key.spec} ${key.usage} key cannot allow ${operation}`);
  const checked = normalConstraints(constraints);
  if (checked && !symmetricEncrypting(kind))
    throw new ValidationError('encryption context constraints are allowed only on symmetric encryption keys');
  const order = Object.keys(APPLIES_TO) as GrantOperation[];
  return { operations: order.filter((operation) => operations.includes(operation)), constraints: checked };
}

/** Constraints with neither map: none. */
function normalConstraints(constraints: GrantConstraints | undefined): GrantConstraintsRecord | null {
  if (!constraints) return null;
  const { encryptionContextEquals: equals, encryptionContextSubset: subset } = constraints;
  if (equals === undefined && subset === undefined) return null;
  return {
    ...(equals ? { encryptionContextEquals: equals } : {}),
    ...(subset ? { encryptionContextSubset: subset } : {}),
  };
}

/** Whether two grants' constraints say the same (key order aside): CreateGrant's Name idempotency. */
export function sameConstraints(a: GrantConstraintsRecord | null, b: GrantConstraintsRecord | null): boolean {
  const text = (c: GrantConstraintsRecord | null) =>
    JSON.stringify([sorted(c?.encryptionContextEquals), sorted(c?.encryptionContextSubset)]);
  return text(a) === text(b);
}

function sorted(map: Readonly<Record<string, string>> | undefined): [string, string][] | null {
  return map ? Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null;
}
