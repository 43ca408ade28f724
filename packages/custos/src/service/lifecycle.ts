// Which key states allow which operation, and who may call it: one table, walked by a test.
// Must not import store, keystore or api.
import { InvalidStateError, type KeyState, type Role } from '@custos/contract';

/**
 * Each kind of access an operation needs (roles grant kinds, see ROLE_GRANTS), and whether its operations leave keys
 * as they were. Those that may not (and those of tokens: a revocation reaches the other nodes' token caches through
 * the same "everything changed" notice) drop the key's cache entry, or the whole cache, on every node.
 */
export const ACCESS_KEEPS_KEYS = {
  manage: false,
  use: true,
  read: true,
  audit: true,
  tokens: false,
  monitor: true,
} as const;
export type Access = keyof typeof ACCESS_KEEPS_KEYS;

export const ROLE_GRANTS: Record<Role, readonly Access[]> = {
  admin: Object.keys(ACCESS_KEEPS_KEYS) as Access[],
  'key-admin': ['manage', 'read'],
  'key-user': ['use', 'read'],
  // A Prometheus scraper needs no key, audit or token rights.
  monitor: ['monitor'],
};

const S = (...states: KeyState[]): readonly KeyState[] => states;
const ANY = S('Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Destroyed');
const LIVE = S('Enabled', 'Disabled', 'PendingImport');
const USABLE = S('Enabled');
const WITH_MATERIAL = S('Enabled', 'Disabled');

export interface OperationRule {
  readonly access: Access;
  /** States the key must be in; null for operations on no key. */
  readonly states: readonly KeyState[] | null;
}

/** Every operation of the Kms interface (AWS names; Custos-only ones in the same style). */
export const OPERATION_RULES = {
  CreateKey: { access: 'manage', states: null },
  DescribeKey: { access: 'read', states: ANY },
  ListKeys: { access: 'read', states: null },
  UpdateKeyDescription: { access: 'manage', states: LIVE },
  EnableKey: { access: 'manage', states: WITH_MATERIAL },
  DisableKey: { access: 'manage', states: WITH_MATERIAL },
  ScheduleKeyDeletion: { access: 'manage', states: LIVE },
  CancelKeyDeletion: { access: 'manage', states: S('PendingDeletion') },
  CreateAlias: { access: 'manage', states: LIVE },
  UpdateAlias: { access: 'manage', states: LIVE },
  DeleteAlias: { access: 'manage', states: null },
  ListAliases: { access: 'read', states: null },
  TagResource: { access: 'manage', states: LIVE },
  UntagResource: { access: 'manage', states: LIVE },
  ListResourceTags: { access: 'read', states: ANY },
  Encrypt: { access: 'use', states: USABLE },
  Decrypt: { access: 'use', states: USABLE },
  ReEncrypt: { access: 'use', states: USABLE },
  GenerateDataKey: { access: 'use', states: USABLE },
  GenerateDataKeyWithoutPlaintext: { access: 'use', states: USABLE },
  GenerateDataKeyPair: { access: 'use', states: USABLE },
  GenerateDataKeyPairWithoutPlaintext: { access: 'use', states: USABLE },
  GenerateRandom: { access: 'use', states: null },
  Sign: { access: 'use', states: USABLE },
  Verify: { access: 'use', states: USABLE },
  GetPublicKey: { access: 'read', states: USABLE },
  GenerateMac: { access: 'use', states: USABLE },
  VerifyMac: { access: 'use', states: USABLE },
  DeriveSharedSecret: { access: 'use', states: USABLE },
  DeriveKey: { access: 'use', states: USABLE },
  EnableKeyRotation: { access: 'manage', states: USABLE },
  DisableKeyRotation: { access: 'manage', states: USABLE },
  GetKeyRotationStatus: { access: 'read', states: ANY },
  RotateKeyOnDemand: { access: 'manage', states: USABLE },
  ListKeyRotations: { access: 'read', states: ANY },
  GetParametersForImport: { access: 'manage', states: S('PendingImport', 'Enabled', 'Disabled') },
  ImportKeyMaterial: { access: 'manage', states: S('PendingImport', 'Enabled', 'Disabled') },
  // AWS: allowed while PendingDeletion (the key stays PendingDeletion) and a no-op while PendingImport.
  DeleteImportedKeyMaterial: { access: 'manage', states: S('Enabled', 'Disabled', 'PendingDeletion', 'PendingImport') },
  GetKeyPolicy: { access: 'read', states: ANY },
  // AWS: PutKeyPolicy works in every key state, PendingDeletion included.
  PutKeyPolicy: { access: 'manage', states: S('Enabled', 'Disabled', 'PendingDeletion', 'PendingImport') },
  ExportKey: { access: 'use', states: USABLE },
  UpdateKeyConstraints: { access: 'manage', states: LIVE },
  ListAuditRecords: { access: 'audit', states: null },
  VerifyAuditChain: { access: 'audit', states: null },
  // REST API tokens: administrators only (a token can carry any role, so making one is an admin act).
  CreateToken: { access: 'tokens', states: null },
  ListTokens: { access: 'tokens', states: null },
  RevokeToken: { access: 'tokens', states: null },
  // AWS access keys (SigV4): administrators only, like tokens (a key pair can carry any role).
  CreateAccessKey: { access: 'tokens', states: null },
  ListAccessKeys: { access: 'tokens', states: null },
  RevokeAccessKey: { access: 'tokens', states: null },
  // Background jobs (called by the scheduler with the system caller, audited like any operation).
  DestroyKey: { access: 'manage', states: S('PendingDeletion') },
  // Expired material already reads as PendingImport (keys.ts effectiveState); the job then deletes it.
  ExpireKeyMaterial: { access: 'manage', states: S('Enabled', 'Disabled', 'PendingImport') },
  AutoRotateKey: { access: 'manage', states: USABLE },
  // The server's first start: an admin token when the store has none (system caller).
  BootstrapToken: { access: 'tokens', states: null },
  // GET /metrics: the figures only the store knows (keys by state).
  ReadMetrics: { access: 'monitor', states: null },
} as const satisfies Record<string, OperationRule>;

export type OperationName = keyof typeof OPERATION_RULES;

/** Throws the AWS-compatible state error when `state` does not allow `operation`. */
export function assertStateAllows(operation: OperationName, state: KeyState): void {
  const rule: OperationRule = OPERATION_RULES[operation];
  if (rule.states === null || rule.states.includes(state)) return;
  // AWS KMS: an operation that needs an enabled key answers DisabledException for a disabled one;
  // every other refusal is KMSInvalidStateException.
  if (state === 'Disabled' && rule.states.includes('Enabled'))
    throw new InvalidStateError('key is disabled', 'KEY_DISABLED');
  throw new InvalidStateError(`${operation} is not allowed while the key is ${state}`);
}
