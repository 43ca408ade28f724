// The minimum decryption version and the trim of old versions (issue 19, Vault transit's min_decryption_version and
// trim) through LocalKms: older ciphertexts refused with KEY_VERSION_BELOW_MINIMUM (Decrypt, ReEncrypt's source,
// DecryptJwe), the bounds of the setting, and a trim destroying the old versions only after its pending window.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidStateError, ValidationError } from '@custos/contract';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { sqliteDriver } from '../../../src/store/sqlite-driver.js';
import { openTestKms, text, utf8, type TestKms } from '../helpers.js';

const SqliteDatabase = sqliteDriver();
const plaintext = utf8('versions');

describe('minimum decryption version and trim', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  /** A symmetric key with three versions and a ciphertext under each. */
  async function threeVersions(): Promise<{ keyId: string; blobs: Uint8Array[] }> {
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    const blobs: Uint8Array[] = [];
    for (let v = 1; v <= 3; v++) {
      if (v > 1) await t.kms.rotateKeyOnDemand({ keyId });
      blobs.push((await t.kms.encrypt({ keyId, plaintext })).ciphertextBlob);
    }
    return { keyId, blobs };
  }

  it('refuses ciphertexts of versions below the minimum with KEY_VERSION_BELOW_MINIMUM, and accepts the rest', async () => {
    const { keyId, blobs } = await threeVersions();
    expect((await t.kms.describeKey({ keyId })).keyMetadata.minDecryptionVersion).toBe(1);
    const set = await t.kms.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 2 });
    expect(set).toMatchObject({ minDecryptionVersion: 2, currentKeyVersion: 3 });
    expect((await t.kms.describeKey({ keyId })).keyMetadata.minDecryptionVersion).toBe(2);
    await expectKmsError(t.kms.decrypt({ ciphertextBlob: blobs[0]! }), 'KEY_VERSION_BELOW_MINIMUM', InvalidStateError);
    await expectKmsError(
      t.kms.reEncrypt({ ciphertextBlob: blobs[0]!, destinationKeyId: keyId }),
      'KEY_VERSION_BELOW_MINIMUM',
    );
    expect(text((await t.kms.decrypt({ ciphertextBlob: blobs[1]! })).plaintext)).toBe('versions');
    expect(text((await t.kms.decrypt({ ciphertextBlob: blobs[2]! })).plaintext)).toBe('versions');
    // Lowered again before any trim (as Vault allows): the old ciphertext decrypts.
    await t.kms.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 1 });
    expect(text((await t.kms.decrypt({ ciphertextBlob: blobs[0]! })).plaintext)).toBe('versions');
  });

  it('refuses a DecryptJwe of a version below the minimum', async () => {
    const { keyId } = await threeVersions();
    const { jwe } = await t.kms.encryptJwe({ keyId, plaintext });
    await t.kms.rotateKeyOnDemand({ keyId });
    await t.kms.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 4 });
    await expectKmsError(t.kms.decryptJwe({ keyId, jwe }), 'KEY_VERSION_BELOW_MINIMUM');
  });

  it('refuses a minimum above the current version, for keys other than symmetric encryption keys, and 0', async () => {
    const { keyId } = await threeVersions();
    await expectKmsError(
      t.kms.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 4 }),
      'VALIDATION_ERROR',
      ValidationError,
    );
    await expectKmsError(t.kms.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 0 }), 'VALIDATION_ERROR');
    const hmac = (await t.kms.createKey({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' })).keyMetadata.keyId;
    await expectKmsError(
      t.kms.updateMinDecryptionVersion({ keyId: hmac, minDecryptionVersion: 1 }),
      'VALIDATION_ERROR',
    );
    const rsa = (await t.kms.createKey({ keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' })).keyMetadata.keyId;
    await expectKmsError(t.kms.trimKeyVersions({ keyId: rsa }), 'VALIDATION_ERROR');
  });

  it('trims nothing until a minimum is set, then destroys the old versions only after the pending window', async () => {
    const { keyId, blobs } = await threeVersions();
    await expectKmsError(t.kms.trimKeyVersions({ keyId, pendingWindowInDays: 7 }), 'VALIDATION_ERROR');
    await t.kms.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 3 });
    const trim = await t.kms.trimKeyVersions({ keyId, pendingWindowInDays: 7 });
    expect(trim.trimmedBelowVersion).toBe(3);
    expect(trim.pendingWindowInDays).toBe(7);
    expect(trim.trimDate.getTime()).toBe(t.clock.now().getTime() + 7 * 24 * 60 * 60 * 1000);
    // From now on the minimum cannot go below the trim; during the window it can be raised, not lowered.
    await expectKmsError(t.kms.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 2 }), 'VALIDATION_ERROR');
    t.clock.advanceDays(6);
    expect((await t.kms.runMaintenance()).trimmed).toBe(0);
    t.clock.advanceDays(2);
    expect((await t.kms.runMaintenance()).trimmed).toBe(1);
    await expectKmsError(t.kms.trimKeyVersions({ keyId, pendingWindowInDays: 7 }), 'VALIDATION_ERROR'); // done already
    // The old versions' material is gone for good: even with the minimum at the floor they cannot come back.
    await expectKmsError(t.kms.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 1 }), 'VALIDATION_ERROR');
    await expectKmsError(t.kms.decrypt({ ciphertextBlob: blobs[0]! }), 'KEY_VERSION_BELOW_MINIMUM');
    expect(text((await t.kms.decrypt({ ciphertextBlob: blobs[2]! })).plaintext)).toBe('versions');
    const versions = await t.kms.listKeyRotations({ keyId });
    expect(versions.rotations.map((r) => r.keyVersion)).toEqual([2, 3]); // the rows stay
    expect((await t.kms.runMaintenance()).trimmed).toBe(0);
  });

  it('the trim job (audited as DestroyTrimmedVersions) clears the stored material of the old versions only', async () => {
    const { keyId } = await threeVersions();
    await t.kms.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 2 });
    await t.kms.trimKeyVersions({ keyId, pendingWindowInDays: 1 });
    t.clock.advanceDays(2);
    await t.kms.runMaintenance();
    const { records } = await t.kms.listAuditRecords({ keyId });
    expect(records.filter((r) => r.operation === 'DestroyTrimmedVersions')).toMatchObject([{ outcome: 'allowed' }]);
    const db = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare('select version, wrapped_material is null as gone from key_versions where key_id = ? order by version')
        .all(keyId) as { version: number; gone: number }[];
      expect(rows.map((r) => [r.version, r.gone])).toEqual([
        [1, 1],
        [2, 0],
        [3, 0],
      ]);
    } finally {
      db.close();
    }
  });
});
