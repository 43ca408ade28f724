// Builders for the store's records in tests: a valid KeyRecord or KeyVersionRecord, with only what a test cares about
// given. Must not import service or api: store tests use them too.
import { randomUUID } from 'node:crypto';
import type { KeyRecord, KeyVersionRecord } from '../../src/store/index.js';

/** The time records are created at unless a test says otherwise (2025-01-01T00:00:00Z). */
const RECORD_TIME = new Date(Date.UTC(2025, 0, 1));

/**
 * An enabled SYMMETRIC_DEFAULT key with version 1 and every optional field empty, then `overrides`.
 * @example await keys.insert(db, keyRecord({ state: 'Disabled' }));
 */
export function keyRecord(overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id: randomUUID(),
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    state: 'Enabled',
    origin: 'AWS_KMS',
    protectionLevel: 'SOFTWARE',
    description: '',
    exportable: false,
    createdAt: RECORD_TIME,
    updatedAt: RECORD_TIME,
    deletionDate: null,
    pendingWindowDays: null,
    latestVersion: 1,
    rotationEnabled: false,
    rotationPeriodDays: null,
    nextRotationAt: null,
    allowedAlgorithms: null,
    notBefore: null,
    notAfter: null,
    maxUses: null,
    useCount: 0,
    materialExpiresAt: null,
    applicationId: null,
    referenceId: null,
    policy: null,
    publishJwk: false,
    pinProtected: false,
    publicKeyOnly: false,
    minDecryptionVersion: 1,
    trimFloor: 1,
    trimDate: null,
    ...overrides,
  };
}

/** Version `version` of `keyId`, created `version` seconds after RECORD_TIME, with four bytes of wrapped material. */
export function keyVersionRecord(
  keyId: string,
  version: number,
  overrides: Partial<KeyVersionRecord> = {},
): KeyVersionRecord {
  return {
    keyId,
    version,
    wrappedMaterial: new Uint8Array([version, 1, 2, 3]),
    publicKey: null,
    createdAt: new Date(RECORD_TIME.getTime() + version * 1000),
    rotationType: version === 1 ? null : 'ON_DEMAND',
    encryptionCount: 0,
    materialCheck: null,
    tokenObjectId: null,
    customKeyStoreId: null,
    wrappingKeyId: null,
    ...overrides,
  };
}
