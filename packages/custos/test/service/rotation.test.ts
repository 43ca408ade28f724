// Rotation through LocalKms: on-demand and automatic rotation, versions in blobs, ListKeyRotations paging,
// the per-version encryption bound, HMAC rotation, unsupported keys, and rotations racing encryptions.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotationsListEntry } from '@custos/contract';
import { wrapForImport } from '../../src/index.js';
import { openTestKms, text, utf8, type TestKms } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The key version a format-1 blob names: bytes 17..21, big-endian. */
function blobVersion(blob: Uint8Array): number {
  return new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(17, false);
}

describe('rotation', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());

  const newKey = async () => (await t.kms.createKey({})).keyMetadata.keyId;
  const version = async (keyId: string) => (await t.kms.describeKey({ keyId })).keyMetadata.currentKeyVersion;

  async function allRotations(keyId: string): Promise<RotationsListEntry[]> {
    const out: RotationsListEntry[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await t.kms.listKeyRotations({ keyId, limit: 1000, ...(marker ? { marker } : {}) });
      out.push(...page.rotations);
      if (!page.truncated) return out;
      marker = page.nextMarker;
    }
  }

  it('rotateKeyOnDemand adds a version each time; new encryptions name the newest; every older version decrypts', async () => {
    const keyId = await newKey();
    expect(await version(keyId)).toBe(1);
    const blobs: Uint8Array[] = [];
    for (let v = 1; v <= 4; v++) {
      const { ciphertextBlob } = await t.kms.encrypt({
        keyId,
        plaintext: utf8(`under v${v}`),
        encryptionContext: { v: String(v) },
      });
      expect(blobVersion(ciphertextBlob)).toBe(v);
      blobs.push(ciphertextBlob);
      if (v < 4) {
        const res = await t.kms.rotateKeyOnDemand({ keyId });
        expect(res.keyId).toMatch(new RegExp(`:key/${keyId}$`));
        expect(await version(keyId)).toBe(v + 1);
      }
    }
    for (const [i, blob] of blobs.entries()) {
      const dec = await t.kms.decrypt({ ciphertextBlob: blob, encryptionContext: { v: String(i + 1) } });
      expect(text(dec.plaintext)).toBe(`under v${i + 1}`);
    }
    // Data keys and re-encryption use the newest version too.
    expect(blobVersion((await t.kms.generateDataKey({ keyId, keySpec: 'AES_256' })).ciphertextBlob)).toBe(4);
    const re = await t.kms.reEncrypt({
      ciphertextBlob: blobs[0]!,
      sourceEncryptionContext: { v: '1' },
      destinationKeyId: keyId,
    });
    expect(blobVersion(re.ciphertextBlob)).toBe(4);
    expect(text((await t.kms.decrypt({ ciphertextBlob: re.ciphertextBlob })).plaintext)).toBe('under v1');
  });

  it('listKeyRotations lists each ON_DEMAND rotation once, oldest first, one per page with limit 1', async () => {
    const keyId = await newKey();
    const dates: Date[] = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advanceMs(1000);
      dates.push(t.clock.now());
      await t.kms.rotateKeyOnDemand({ keyId });
    }
    const pages: RotationsListEntry[][] = [];
    let marker: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const page = await t.kms.listKeyRotations({ keyId, limit: 1, ...(marker ? { marker } : {}) });
      pages.push(page.rotations);
      expect(page.truncated).toBe(page.nextMarker !== undefined);
      if (!page.truncated) break;
      marker = page.nextMarker;
    }
    expect(pages.map((p) => p.length)).toEqual([1, 1, 1]);
    const rotations = pages.flat();
    expect(rotations.map((r) => r.rotationType)).toEqual(['ON_DEMAND', 'ON_DEMAND', 'ON_DEMAND']);
    expect(rotations.map((r) => r.rotationDate)).toEqual(dates);
    expect(rotations.map((r) => r.keyVersion)).toEqual([2, 3, 4]);
    expect(new Set(rotations.map((r) => r.keyId)).size).toBe(1);
  });

  it('listKeyRotations of a key never rotated is empty and not truncated', async () => {
    const keyId = await newKey();
    expect(await t.kms.listKeyRotations({ keyId })).toEqual({ rotations: [], truncated: false });
    expect(await t.kms.listKeyRotations({ keyId, limit: 1 })).toEqual({ rotations: [], truncated: false });
  });

  it('listKeyRotations with a malformed marker fails with INVALID_MARKER', async () => {
    const keyId = await newKey();
    await expectKmsError(t.kms.listKeyRotations({ keyId, marker: 'not-a-marker!' }), 'INVALID_MARKER');
  });

  it('enableKeyRotation defaults to 365 days and getKeyRotationStatus reports it', async () => {
    const keyId = await newKey();
    expect(await t.kms.getKeyRotationStatus({ keyId })).toMatchObject({ keyRotationEnabled: false });
    expect((await t.kms.getKeyRotationStatus({ keyId })).nextRotationDate).toBeUndefined();
    await t.kms.enableKeyRotation({ keyId });
    const status = await t.kms.getKeyRotationStatus({ keyId });
    expect(status.keyRotationEnabled).toBe(true);
    expect(status.rotationPeriodInDays).toBe(365);
    expect(status.nextRotationDate).toEqual(new Date(t.clock.now().getTime() + 365 * DAY_MS));
  });

  it.each([90, 2560])('enableKeyRotation accepts a period of %s days', async (days) => {
    const keyId = await newKey();
    await t.kms.enableKeyRotation({ keyId, rotationPeriodInDays: days });
    expect((await t.kms.getKeyRotationStatus({ keyId })).rotationPeriodInDays).toBe(days);
  });

  it.each([89, 2561, 0, -1, 100.5])(
    'enableKeyRotation with a period of %s days fails with VALIDATION_ERROR and changes nothing',
    async (days) => {
      const keyId = await newKey();
      await expectKmsError(t.kms.enableKeyRotation({ keyId, rotationPeriodInDays: days }), 'VALIDATION_ERROR');
      expect((await t.kms.getKeyRotationStatus({ keyId })).keyRotationEnabled).toBe(false);
    },
  );

  it('automatic rotation happens when the period has passed, once, and moves nextRotationDate forward', async () => {
    const keyId = await newKey();
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('before') });
    await t.kms.enableKeyRotation({ keyId, rotationPeriodInDays: 90 });
    const first = (await t.kms.getKeyRotationStatus({ keyId })).nextRotationDate!;
    t.clock.advanceDays(89);
    await t.kms.runMaintenance();
    expect(await version(keyId)).toBe(1);
    t.clock.advanceDays(1);
    const report = await t.kms.runMaintenance();
    expect(report.rotated).toBeGreaterThanOrEqual(1);
    expect(await version(keyId)).toBe(2);
    const status = await t.kms.getKeyRotationStatus({ keyId });
    expect(status.nextRotationDate).toEqual(new Date(t.clock.now().getTime() + 90 * DAY_MS));
    expect(status.nextRotationDate!.getTime()).toBeGreaterThan(first.getTime());
    const rotations = await allRotations(keyId);
    expect(rotations.map((r) => r.rotationType)).toEqual(['AUTOMATIC']);
    expect(rotations[0]!.rotationDate).toEqual(t.clock.now());
    // Nothing more until the next period.
    await t.kms.runMaintenance();
    expect(await version(keyId)).toBe(2);
    expect(text((await t.kms.decrypt({ ciphertextBlob })).plaintext)).toBe('before');
    expect(blobVersion((await t.kms.encrypt({ keyId, plaintext: utf8('after') })).ciphertextBlob)).toBe(2);
  });

  it('on-demand rotation does not change the automatic rotation schedule (AWS RotateKeyOnDemand)', async () => {
    const keyId = await newKey();
    await t.kms.enableKeyRotation({ keyId, rotationPeriodInDays: 90 });
    const scheduled = (await t.kms.getKeyRotationStatus({ keyId })).nextRotationDate;
    t.clock.advanceDays(10);
    await t.kms.rotateKeyOnDemand({ keyId });
    expect((await t.kms.getKeyRotationStatus({ keyId })).nextRotationDate).toEqual(scheduled);
  });

  it('disableKeyRotation stops automatic rotation; on-demand rotation still works', async () => {
    const keyId = await newKey();
    await t.kms.enableKeyRotation({ keyId, rotationPeriodInDays: 90 });
    await t.kms.disableKeyRotation({ keyId });
    const status = await t.kms.getKeyRotationStatus({ keyId });
    expect(status.keyRotationEnabled).toBe(false);
    expect(status.nextRotationDate).toBeUndefined();
    t.clock.advanceDays(400);
    await t.kms.runMaintenance();
    expect(await version(keyId)).toBe(1);
    await t.kms.rotateKeyOnDemand({ keyId });
    expect(await version(keyId)).toBe(2);
  });

  it('a disabled key is not rotated automatically and rotates again once enabled and due', async () => {
    const keyId = await newKey();
    await t.kms.enableKeyRotation({ keyId, rotationPeriodInDays: 90 });
    await t.kms.disableKey({ keyId });
    t.clock.advanceDays(91);
    await t.kms.runMaintenance();
    expect(await version(keyId)).toBe(1);
    await t.kms.enableKey({ keyId });
    await t.kms.runMaintenance();
    expect(await version(keyId)).toBe(2);
  });

  it('asymmetric keys cannot rotate: UNSUPPORTED for rotateKeyOnDemand and enableKeyRotation', async () => {
    const { keyId } = (await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata;
    await expectKmsError(t.kms.rotateKeyOnDemand({ keyId }), 'UNSUPPORTED');
    await expectKmsError(t.kms.enableKeyRotation({ keyId }), 'UNSUPPORTED');
    expect(await version(keyId)).toBe(1);
  });

  it('keys with imported material cannot rotate: UNSUPPORTED', async () => {
    const { keyId } = (await t.kms.createKey({ origin: 'EXTERNAL' })).keyMetadata;
    const params = await t.kms.getParametersForImport({
      keyId,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_2048',
    });
    await t.kms.importKeyMaterial({
      keyId,
      importToken: params.importToken,
      encryptedKeyMaterial: wrapForImport('RSAES_OAEP_SHA_256', params.publicKey, randomBytes(32)),
    });
    await expectKmsError(t.kms.rotateKeyOnDemand({ keyId }), 'UNSUPPORTED');
    await expectKmsError(t.kms.enableKeyRotation({ keyId }), 'UNSUPPORTED');
    expect(await version(keyId)).toBe(1);
  });

  it('HMAC keys rotate; MACs made before the rotation still verify, new MACs use the new material', async () => {
    const { keyId } = (await t.kms.createKey({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' })).keyMetadata;
    const message = utf8('mac me');
    const before = (await t.kms.generateMac({ keyId, message, macAlgorithm: 'HMAC_SHA_256' })).mac;
    await t.kms.rotateKeyOnDemand({ keyId });
    await t.kms.rotateKeyOnDemand({ keyId });
    expect(await version(keyId)).toBe(3);
    const after = (await t.kms.generateMac({ keyId, message, macAlgorithm: 'HMAC_SHA_256' })).mac;
    expect(Buffer.from(after).equals(Buffer.from(before))).toBe(false);
    expect((await t.kms.verifyMac({ keyId, message, mac: before, macAlgorithm: 'HMAC_SHA_256' })).macValid).toBe(true);
    expect((await t.kms.verifyMac({ keyId, message, mac: after, macAlgorithm: 'HMAC_SHA_256' })).macValid).toBe(true);
    const forged = Uint8Array.from(before);
    forged[0]! ^= 1;
    await expectKmsError(t.kms.verifyMac({ keyId, message, mac: forged, macAlgorithm: 'HMAC_SHA_256' }), 'INVALID_MAC');
  });

  it('rotations racing encryptions and decryptions: every blob decrypts, versions are contiguous', async () => {
    const keyId = await newKey();
    const seeds = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.kms.encrypt({ keyId, plaintext: utf8(`seed ${i}`) }).then((r) => ({ i, blob: r.ciphertextBlob })),
      ),
    );
    const ROTATIONS = 20;
    const ENCRYPTS = 200;
    const encrypted: { i: number; blob: Uint8Array }[] = [];
    const tasks: Promise<unknown>[] = [];
    let rotations = 0;
    // Launched in interleaved waves without awaiting them, yielding between waves so that rotations commit while
    // earlier encryptions and decryptions are still in flight.
    for (let i = 0; i < ENCRYPTS; i++) {
      tasks.push(
        t.kms
          .encrypt({ keyId, plaintext: utf8(`msg ${i}`), encryptionContext: { i: String(i) } })
          .then((r) => encrypted.push({ i, blob: r.ciphertextBlob })),
      );
      const seed = seeds[i % seeds.length]!;
      tasks.push(
        t.kms.decrypt({ ciphertextBlob: seed.blob }).then((r) => {
          expect(text(r.plaintext)).toBe(`seed ${seed.i}`);
        }),
      );
      if (i % (ENCRYPTS / ROTATIONS) === 0) {
        rotations++;
        tasks.push(t.kms.rotateKeyOnDemand({ keyId }));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    const settled = await Promise.allSettled(tasks);
    const failures = settled.filter((s) => s.status === 'rejected');
    expect(failures).toEqual([]);
    expect(rotations).toBe(ROTATIONS);
    expect(encrypted).toHaveLength(ENCRYPTS);

    const latest = await version(keyId);
    expect(latest).toBe(1 + ROTATIONS);
    const versionsSeen = new Set<number>();
    for (const { i, blob } of encrypted) {
      const v = blobVersion(blob);
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThanOrEqual(latest);
      versionsSeen.add(v);
      const dec = await t.kms.decrypt({ ciphertextBlob: blob, encryptionContext: { i: String(i) } });
      expect(text(dec.plaintext)).toBe(`msg ${i}`);
    }
    expect(versionsSeen.size).toBeGreaterThan(1);
    const listed = await allRotations(keyId);
    expect(listed.map((r) => r.keyVersion)).toEqual(Array.from({ length: ROTATIONS }, (_, i) => i + 2));
    expect(listed.every((r) => r.rotationType === 'ON_DEMAND')).toBe(true);
  });
});

describe('rotation: the per-version encryption bound (maxEncryptionsPerVersion 5)', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms({ config: { minPendingWindowDays: 1, maxEncryptionsPerVersion: 5 } });
  });
  afterAll(async () => t.cleanup());

  it('the 6th encryption lands in version 2 automatically, and all of them decrypt', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    const blobs: Uint8Array[] = [];
    for (let i = 0; i < 6; i++) blobs.push((await t.kms.encrypt({ keyId, plaintext: utf8(`m${i}`) })).ciphertextBlob);
    expect(blobs.map(blobVersion)).toEqual([1, 1, 1, 1, 1, 2]);
    expect((await t.kms.describeKey({ keyId })).keyMetadata.currentKeyVersion).toBe(2);
    for (const [i, blob] of blobs.entries())
      expect(text((await t.kms.decrypt({ ciphertextBlob: blob })).plaintext)).toBe(`m${i}`);
    // Decryptions do not count against the bound.
    expect(blobVersion((await t.kms.encrypt({ keyId, plaintext: utf8('m6') })).ciphertextBlob)).toBe(2);
  });

  it('a key with imported material cannot rotate past the bound: LIMIT_EXCEEDED, and its ciphertexts still decrypt', async () => {
    const { keyId } = (await t.kms.createKey({ origin: 'EXTERNAL' })).keyMetadata;
    const params = await t.kms.getParametersForImport({
      keyId,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_2048',
    });
    await t.kms.importKeyMaterial({
      keyId,
      importToken: params.importToken,
      encryptedKeyMaterial: wrapForImport('RSAES_OAEP_SHA_256', params.publicKey, randomBytes(32)),
    });
    const blobs: Uint8Array[] = [];
    for (let i = 0; i < 5; i++) blobs.push((await t.kms.encrypt({ keyId, plaintext: utf8(`i${i}`) })).ciphertextBlob);
    await expectKmsError(t.kms.encrypt({ keyId, plaintext: utf8('one too many') }), 'LIMIT_EXCEEDED');
    await expectKmsError(t.kms.generateDataKey({ keyId, keySpec: 'AES_256' }), 'LIMIT_EXCEEDED');
    expect((await t.kms.describeKey({ keyId })).keyMetadata.currentKeyVersion).toBe(1);
    for (const [i, blob] of blobs.entries())
      expect(text((await t.kms.decrypt({ ciphertextBlob: blob })).plaintext)).toBe(`i${i}`);
  });

  it('data keys count as encryptions too', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    const versions: number[] = [];
    for (let i = 0; i < 11; i++)
      versions.push(
        blobVersion((await t.kms.generateDataKeyWithoutPlaintext({ keyId, keySpec: 'AES_256' })).ciphertextBlob),
      );
    expect(versions).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3]);
  });

  it('concurrent encryptions past the bound never put more than the bound in one version', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    const blobs = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.kms.encrypt({ keyId, plaintext: utf8(`c${i}`) })),
    );
    const perVersion = new Map<number, number>();
    for (const { ciphertextBlob } of blobs)
      perVersion.set(blobVersion(ciphertextBlob), (perVersion.get(blobVersion(ciphertextBlob)) ?? 0) + 1);
    for (const count of perVersion.values()) expect(count).toBeLessThanOrEqual(5);
    for (const [i, { ciphertextBlob }] of blobs.entries())
      expect(text((await t.kms.decrypt({ ciphertextBlob })).plaintext)).toBe(`c${i}`);
  });
});
