// The store contract, run against every dialect: describeStore('sqlite', open) and describeStore('postgres', open).
// Must not import api; exercises every repository function through the public store surface, the audit log through
// the service's chain (service/audit/audit-log.ts), which builds every entry the store persists.
import { randomUUID, createHmac } from 'node:crypto';
import { ConflictError, KmsError, ValidationError } from '@custos/contract';
import { sql } from 'kysely';
import * as auditLog from '../../src/service/audit/audit-log.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accessKeys,
  aliases,
  attestationIdentity,
  audit,
  grants,
  importTokens,
  keyCertificates,
  keyPins,
  keyringKeys,
  keyringPolicies,
  keys,
  keyVersions,
  lockInTransaction,
  meta,
  tags,
  tokens,
  trustedCertificates,
  RowIntegrityError,
  type AccessKeyRecord,
  type AuditEntry,
  type Db,
  type GrantRecord,
  type KeyRecord,
  type Store,
  type TokenRecord,
  type TrustedCertificateRecord,
} from '../../src/store/index.js';
import { keyRecord, keyVersionRecord } from '../helpers/key-records.js';
import { TEST_CHAIN_KEY } from '../helpers/audit.js';

export interface OpenedStore {
  readonly store: Store;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2025, 0, 1);
const at = (offsetMs: number): Date => new Date(T0 + offsetMs);
const DAY = 86_400_000;

function makeEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: at(0),
    principal: 'alice',
    operation: 'Encrypt',
    keyId: null,
    keyVersion: null,
    outcome: 'allowed',
    errorCode: null,
    requestId: randomUUID(),
    details: null,
    ...overrides,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof KmsError) return err.code;
    throw err;
  }
  throw new Error('expected a rejection');
}

export function describeStore(name: string, open: () => Promise<OpenedStore>): void {
  describe(`store contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    async function insertKey(overrides: Partial<KeyRecord> = {}): Promise<KeyRecord> {
      const key = keyRecord(overrides);
      await keys.insert(store.db, key);
      return key;
    }

    describe('transactions', () => {
      it('commits when the function resolves and returns its value', async () => {
        const key = keyRecord();
        const result = await store.transaction(async (tx) => {
          await keys.insert(tx, key);
          return 42;
        });
        expect(result).toBe(42);
        expect(await keys.get(store.db, key.id)).toEqual(key);
      });

      it('rolls back every write when the function throws', async () => {
        const key = keyRecord();
        await expect(
          store.transaction(async (tx) => {
            await keys.insert(tx, key);
            await keyVersions.insert(tx, keyVersionRecord(key.id, 1));
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await keys.get(store.db, key.id)).toBeUndefined();
        expect(await keyVersions.get(store.db, key.id, 1)).toBeUndefined();
      });
    });

    describe('keys', () => {
      it('round-trips a record with every optional field set', async () => {
        const key = keyRecord({
          spec: 'RSA_2048',
          usage: 'SIGN_VERIFY',
          state: 'PendingDeletion',
          origin: 'EXTERNAL',
          protectionLevel: 'HSM',
          description: 'signing key ✓',
          exportable: true,
          createdAt: at(1),
          updatedAt: at(2),
          deletionDate: at(7 * DAY),
          pendingWindowDays: 7,
          latestVersion: 3,
          rotationEnabled: true,
          rotationPeriodDays: 365,
          nextRotationAt: at(365 * DAY),
          allowedAlgorithms: ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'],
          notBefore: at(10),
          notAfter: at(20 * DAY),
          maxUses: 1000,
          useCount: 5,
          materialExpiresAt: at(30 * DAY),
          applicationId: 'REGISTRATION',
          referenceId: 'ref-1',
          policy: '{"Version":"2012-10-17"}',
          publishJwk: true,
        });
        await keys.insert(store.db, key);
        expect(await keys.get(store.db, key.id)).toEqual(key);
      });

      it('listForJwks: enabled keys only; published signing keys; by tag and tag value', async () => {
        const signing = await insertKey({ spec: 'ECC_NIST_P256', usage: 'SIGN_VERIFY', publishJwk: true });
        const agreement = await insertKey({ spec: 'ECC_NIST_P256', usage: 'KEY_AGREEMENT', publishJwk: true });
        const unpublished = await insertKey({ spec: 'ECC_NIST_P256', usage: 'SIGN_VERIFY' });
        const disabled = await insertKey({
          spec: 'ECC_NIST_P256',
          usage: 'SIGN_VERIFY',
          publishJwk: true,
          state: 'Disabled',
        });
        const tag = `t-${randomUUID()}`;
        await tags.put(store.db, agreement.id, [{ tagKey: tag, tagValue: 'blue' }]);
        const ids = async (filter: Parameters<typeof keys.listForJwks>[1]) =>
          (await keys.listForJwks(store.db, filter)).map((k) => k.id);
        const published = await ids({ published: true });
        expect(published).toContain(signing.id);
        for (const absent of [agreement.id, unpublished.id, disabled.id]) expect(published).not.toContain(absent);
        const all = await ids({});
        expect(all).toEqual(expect.arrayContaining([signing.id, agreement.id, unpublished.id]));
        expect(all).not.toContain(disabled.id);
        expect(await ids({ tagKey: tag })).toEqual([agreement.id]);
        expect(await ids({ tagKey: tag, tagValue: 'blue' })).toEqual([agreement.id]);
        expect(await ids({ tagKey: tag, tagValue: 'red' })).toEqual([]);
      });

      it('round-trips a record with every optional field null', async () => {
        const key = await insertKey();
        const read = await keys.get(store.db, key.id);
        expect(read).toEqual(key);
        expect(read?.createdAt).toBeInstanceOf(Date);
      });

      it('get returns undefined for an unknown id', async () => {
        expect(await keys.get(store.db, randomUUID())).toBeUndefined();
      });

      it('insert of an existing id fails', async () => {
        const key = await insertKey();
        await expect(keys.insert(store.db, key)).rejects.toThrow();
      });

      it('update writes only the given fields', async () => {
        const key = await insertKey({ description: 'before', maxUses: 3 });
        await keys.update(store.db, key.id, {
          state: 'Disabled',
          updatedAt: at(5000),
          description: 'after',
          allowedAlgorithms: ['SYMMETRIC_DEFAULT'],
          deletionDate: at(99),
          maxUses: null,
          exportable: true,
          publishJwk: true,
        });
        expect(await keys.get(store.db, key.id)).toEqual({
          ...key,
          state: 'Disabled',
          updatedAt: at(5000),
          description: 'after',
          allowedAlgorithms: ['SYMMETRIC_DEFAULT'],
          deletionDate: at(99),
          maxUses: null,
          exportable: true,
          publishJwk: true,
        });
      });

      it('update with an empty patch changes nothing', async () => {
        const key = await insertKey();
        await keys.update(store.db, key.id, {});
        expect(await keys.get(store.db, key.id)).toEqual(key);
      });

      it('list pages through keys ordered by creation time, then id, with an opaque cursor', async () => {
        const sameTime = [randomUUID(), randomUUID(), randomUUID()].sort() as [string, string, string];
        const created = [
          await insertKey({ createdAt: at(300) }),
          await insertKey({ id: sameTime[2], createdAt: at(100) }),
          await insertKey({ id: sameTime[0], createdAt: at(100) }),
          await insertKey({ createdAt: at(50) }),
          await insertKey({ id: sameTime[1], createdAt: at(100) }),
        ];
        const expected = [...created]
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
          .map((k) => k.id);

        const seen: string[] = [];
        let after: string | undefined;
        let pages = 0;
        do {
          const page = await keys.list(store.db, { limit: 2, after });
          seen.push(...page.items.map((k) => k.id));
          pages++;
          after = page.next ?? undefined;
          if (page.next !== null) expect(page.next).toMatch(/^[A-Za-z0-9_-]+$/);
        } while (after !== undefined);
        expect(seen).toEqual(expected);
        expect(pages).toBe(3);
      });

      it('list returns next null when everything fits, and an empty page for an empty store', async () => {
        expect(await keys.list(store.db, { limit: 10 })).toEqual({ items: [], next: null });
        await insertKey();
        await insertKey();
        const page = await keys.list(store.db, { limit: 2 });
        expect(page.items).toHaveLength(2);
        expect(page.next).toBeNull();
      });

      it('list rejects an invalid cursor with INVALID_MARKER', async () => {
        const wrongShape = Buffer.from(JSON.stringify({ x: 1 })).toString('base64url');
        for (const after of ['not a cursor!', 'AAAA', wrongShape, '']) {
          const err = await keys.list(store.db, { limit: 5, after }).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(ValidationError);
          expect((err as ValidationError).code).toBe('INVALID_MARKER');
        }
      });

      it('findByKeyring returns the keys of one application/reference pair', async () => {
        const a1 = await insertKey({ applicationId: 'APP', referenceId: 'R1', createdAt: at(2) });
        const a2 = await insertKey({ applicationId: 'APP', referenceId: 'R1', createdAt: at(1) });
        await insertKey({ applicationId: 'APP', referenceId: 'R2' });
        await insertKey({ applicationId: 'OTHER', referenceId: 'R1' });
        await insertKey();
        const found = await keys.findByKeyring(store.db, 'APP', 'R1');
        expect(found.map((k) => k.id)).toEqual([a2.id, a1.id]);
        expect(await keys.findByKeyring(store.db, 'NONE', 'R1')).toEqual([]);
      });

      it('listDueForDeletion returns PendingDeletion keys whose deletion date has passed', async () => {
        const due = await insertKey({ state: 'PendingDeletion', deletionDate: at(DAY) });
        const exactlyNow = await insertKey({ state: 'PendingDeletion', deletionDate: at(2 * DAY) });
        await insertKey({ state: 'PendingDeletion', deletionDate: at(3 * DAY) });
        await insertKey({ state: 'Enabled', deletionDate: at(DAY) });
        const found = await keys.listDueForDeletion(store.db, at(2 * DAY));
        expect(found.map((k) => k.id)).toEqual([due.id, exactlyNow.id]);
      });

      it('listDueForRotation returns Enabled keys with rotation on and next rotation passed', async () => {
        const due = await insertKey({ rotationEnabled: true, nextRotationAt: at(DAY) });
        await insertKey({ rotationEnabled: true, nextRotationAt: at(3 * DAY) });
        await insertKey({ rotationEnabled: false, nextRotationAt: at(DAY) });
        await insertKey({ rotationEnabled: true, nextRotationAt: at(DAY), state: 'Disabled' });
        await insertKey({ rotationEnabled: true, nextRotationAt: null });
        const found = await keys.listDueForRotation(store.db, at(2 * DAY));
        expect(found.map((k) => k.id)).toEqual([due.id]);
      });

      it('listExpiredMaterial skips Destroyed, PendingDeletion and PendingImport keys', async () => {
        const enabled = await insertKey({ materialExpiresAt: at(DAY), createdAt: at(1) });
        const disabled = await insertKey({ materialExpiresAt: at(DAY), state: 'Disabled', createdAt: at(2) });
        for (const state of ['Destroyed', 'PendingDeletion', 'PendingImport'] as const) {
          await insertKey({ materialExpiresAt: at(DAY), state });
        }
        await insertKey({ materialExpiresAt: at(5 * DAY) });
        await insertKey({ materialExpiresAt: null });
        const found = await keys.listExpiredMaterial(store.db, at(DAY));
        expect(found.map((k) => k.id).sort()).toEqual([enabled.id, disabled.id].sort());
      });

      it('countByState counts keys per state', async () => {
        expect(await keys.countByState(store.db)).toEqual({});
        await insertKey();
        await insertKey();
        await insertKey({ state: 'Disabled' });
        await insertKey({ state: 'PendingDeletion' });
        expect(await keys.countByState(store.db)).toEqual({ Enabled: 2, Disabled: 1, PendingDeletion: 1 });
      });

      it('incrementUseCount stops exactly at maxUses', async () => {
        const key = await insertKey({ maxUses: 3 });
        const results: boolean[] = [];
        for (let i = 0; i < 5; i++) results.push(await keys.incrementUseCount(store.db, key.id, 3));
        expect(results).toEqual([true, true, true, false, false]);
        expect((await keys.get(store.db, key.id))?.useCount).toBe(3);
      });

      it('incrementUseCount never overshoots under 50 concurrent calls', async () => {
        const key = await insertKey({ maxUses: 10 });
        const results = await Promise.all(
          Array.from({ length: 50 }, () => keys.incrementUseCount(store.db, key.id, key.maxUses)),
        );
        expect(results.filter(Boolean)).toHaveLength(10);
        expect((await keys.get(store.db, key.id))?.useCount).toBe(10);
      });

      it('incrementUseCount never overshoots under 50 concurrent transactions', async () => {
        const key = await insertKey({ maxUses: 7 });
        const results = await Promise.all(
          Array.from({ length: 50 }, () => store.transaction((tx) => keys.incrementUseCount(tx, key.id, 7))),
        );
        expect(results.filter(Boolean)).toHaveLength(7);
        expect((await keys.get(store.db, key.id))?.useCount).toBe(7);
      });

      it('incrementUseCount honours the stored max_uses even when the caller passes null', async () => {
        const key = await insertKey({ maxUses: 1 });
        expect(await keys.incrementUseCount(store.db, key.id, null)).toBe(true);
        expect(await keys.incrementUseCount(store.db, key.id, null)).toBe(false);
      });

      it('incrementUseCount is unlimited without maxUses, and false for an unknown key', async () => {
        const key = await insertKey();
        for (let i = 0; i < 20; i++) expect(await keys.incrementUseCount(store.db, key.id, null)).toBe(true);
        expect((await keys.get(store.db, key.id))?.useCount).toBe(20);
        expect(await keys.incrementUseCount(store.db, randomUUID(), null)).toBe(false);
      });
    });

    describe('locking read-then-write work', () => {
      it('keys.getForUpdate reads the key inside a transaction and refuses outside one (INTERNAL)', async () => {
        const key = await insertKey();
        expect(await store.transaction((tx) => keys.getForUpdate(tx, key.id))).toEqual(key);
        expect(await store.transaction((tx) => keys.getForUpdate(tx, randomUUID()))).toBeUndefined();
        expect(await codeOf(keys.getForUpdate(store.db, key.id))).toBe('INTERNAL');
      });

      it('10 concurrent rotations through keys.getForUpdate add versions 2..11 with no conflict', async () => {
        const key = await insertKey();
        await keyVersions.insert(store.db, keyVersionRecord(key.id, 1));
        const rotate = () =>
          store.transaction(async (tx) => {
            const current = (await keys.getForUpdate(tx, key.id))!;
            const version = current.latestVersion + 1;
            await keyVersions.insert(tx, keyVersionRecord(key.id, version));
            await keys.update(tx, key.id, { latestVersion: version });
            return version;
          });
        const versions = await Promise.all(Array.from({ length: 10 }, rotate));
        expect([...versions].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        expect((await keys.get(store.db, key.id))?.latestVersion).toBe(11);
        expect((await keyVersions.list(store.db, key.id)).map((v) => v.version)).toEqual([
          1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
        ]);
      });

      it('lockInTransaction makes check-then-insert happen once among 10 concurrent transactions', async () => {
        const created = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.transaction(async (tx) => {
              await lockInTransaction(tx, 'first-only');
              if ((await meta.get(tx, 'first')) !== undefined) return false;
              await meta.set(tx, 'first', String(i));
              return true;
            }),
          ),
        );
        expect(created.filter(Boolean)).toHaveLength(1);
        expect(await codeOf(lockInTransaction(store.db, 'x'))).toBe('INTERNAL');
      });
    });

    describe('keyVersions', () => {
      it('round-trips a version, with bytes as Uint8Array', async () => {
        const key = await insertKey();
        const version = keyVersionRecord(key.id, 1, {
          publicKey: new Uint8Array([48, 130, 1, 34]),
          encryptionCount: 9,
        });
        await keyVersions.insert(store.db, version);
        const read = await keyVersions.get(store.db, key.id, 1);
        expect(read).toEqual(version);
        expect(read?.wrappedMaterial?.constructor).toBe(Uint8Array);
        expect(await keyVersions.get(store.db, key.id, 2)).toBeUndefined();
      });

      it("keeps an HSM version's token object id and key store, clears the id on destroy, finds keys by store", async () => {
        const key = await insertKey();
        const hsm = keyVersionRecord(key.id, 1, {
          wrappedMaterial: null,
          tokenObjectId: 'a1'.repeat(16),
          customKeyStoreId: 'cks-0123456789abcdef0',
        });
        await keyVersions.insert(store.db, hsm);
        expect(await keyVersions.get(store.db, key.id, 1)).toEqual(hsm);
        expect(await keyVersions.anyInKeyStore(store.db, 'cks-0123456789abcdef0')).toBe(true);
        expect(await keyVersions.anyInKeyStore(store.db, 'cks-fffffffffffffffff')).toBe(false);
        await keyVersions.destroyMaterial(store.db, key.id);
        expect(await keyVersions.get(store.db, key.id, 1)).toMatchObject({
          wrappedMaterial: null,
          tokenObjectId: null,
          customKeyStoreId: 'cks-0123456789abcdef0',
        });
      });

      it("setMaterial replaces one version's material, keeping the check value; NOT_FOUND when missing", async () => {
        const key = await insertKey({ origin: 'EXTERNAL' });
        await keyVersions.insert(store.db, keyVersionRecord(key.id, 1, { materialCheck: 'ab'.repeat(32) }));
        await keyVersions.destroyMaterial(store.db, key.id);
        expect(await keyVersions.get(store.db, key.id, 1)).toMatchObject({
          wrappedMaterial: null,
          materialCheck: 'ab'.repeat(32),
        });
        await keyVersions.setMaterial(store.db, key.id, 1, new Uint8Array([7, 7]));
        expect(await keyVersions.get(store.db, key.id, 1)).toMatchObject({
          wrappedMaterial: new Uint8Array([7, 7]),
          materialCheck: 'ab'.repeat(32),
        });
        expect(await codeOf(keyVersions.setMaterial(store.db, key.id, 2, new Uint8Array([1])))).toBe('NOT_FOUND');
      });

      it('refuses a version of a key that does not exist (foreign key)', async () => {
        await expect(keyVersions.insert(store.db, keyVersionRecord(randomUUID(), 1))).rejects.toThrow();
      });

      it('refuses a duplicate (key, version)', async () => {
        const key = await insertKey();
        await keyVersions.insert(store.db, keyVersionRecord(key.id, 1));
        await expect(keyVersions.insert(store.db, keyVersionRecord(key.id, 1))).rejects.toThrow();
      });

      it('latest and list return the newest and all versions in ascending order', async () => {
        const key = await insertKey();
        const other = await insertKey();
        expect(await keyVersions.latest(store.db, key.id)).toBeUndefined();
        for (const v of [2, 1, 3]) await keyVersions.insert(store.db, keyVersionRecord(key.id, v));
        await keyVersions.insert(store.db, keyVersionRecord(other.id, 9));
        expect((await keyVersions.latest(store.db, key.id))?.version).toBe(3);
        expect((await keyVersions.list(store.db, key.id)).map((v) => v.version)).toEqual([1, 2, 3]);
      });

      it('listPaged pages versions with a cursor and rejects an invalid one', async () => {
        const key = await insertKey();
        for (let v = 1; v <= 5; v++) await keyVersions.insert(store.db, keyVersionRecord(key.id, v));
        const first = await keyVersions.listPaged(store.db, key.id, { limit: 2 });
        expect(first.items.map((v) => v.version)).toEqual([1, 2]);
        const second = await keyVersions.listPaged(store.db, key.id, { limit: 2, after: first.next ?? undefined });
        expect(second.items.map((v) => v.version)).toEqual([3, 4]);
        const third = await keyVersions.listPaged(store.db, key.id, { limit: 2, after: second.next ?? undefined });
        expect(third.items.map((v) => v.version)).toEqual([5]);
        expect(third.next).toBeNull();
        expect(await codeOf(keyVersions.listPaged(store.db, key.id, { limit: 2, after: 'bad!' }))).toBe(
          'INVALID_MARKER',
        );
        const stringCursor = Buffer.from('"x"').toString('base64url');
        expect(await codeOf(keyVersions.listPaged(store.db, key.id, { limit: 2, after: stringCursor }))).toBe(
          'INVALID_MARKER',
        );
      });

      it('incrementEncryptionCount returns the new count and fails with NOT_FOUND for an unknown version', async () => {
        const key = await insertKey();
        await keyVersions.insert(store.db, keyVersionRecord(key.id, 1));
        expect(await keyVersions.incrementEncryptionCount(store.db, key.id, 1)).toBe(1);
        expect(await keyVersions.incrementEncryptionCount(store.db, key.id, 1, 10)).toBe(11);
        expect((await keyVersions.get(store.db, key.id, 1))?.encryptionCount).toBe(11);
        expect(await codeOf(keyVersions.incrementEncryptionCount(store.db, key.id, 2))).toBe('NOT_FOUND');
      });

      it('destroyMaterial clears the material of every version of that key only', async () => {
        const key = await insertKey();
        const other = await insertKey();
        const pub = new Uint8Array([1, 2]);
        await keyVersions.insert(store.db, keyVersionRecord(key.id, 1, { publicKey: pub }));
        await keyVersions.insert(store.db, keyVersionRecord(key.id, 2, { publicKey: pub }));
        await keyVersions.insert(store.db, keyVersionRecord(other.id, 1));
        await keyVersions.destroyMaterial(store.db, key.id);
        for (const v of await keyVersions.list(store.db, key.id)) {
          expect(v.wrappedMaterial).toBeNull();
          expect(v.publicKey).toEqual(pub);
        }
        expect((await keyVersions.get(store.db, other.id, 1))?.wrappedMaterial).toEqual(new Uint8Array([1, 1, 2, 3]));
      });
    });

    describe('aliases', () => {
      const alias = (name: string, keyId: string) => ({ name, keyId, createdAt: at(1), updatedAt: at(2) });

      it('round-trips an alias and returns undefined for an unknown name', async () => {
        const key = await insertKey();
        await aliases.insert(store.db, alias('alias/a', key.id));
        expect(await aliases.get(store.db, 'alias/a')).toEqual(alias('alias/a', key.id));
        expect(await aliases.get(store.db, 'alias/none')).toBeUndefined();
      });

      it('a duplicate name fails with ALREADY_EXISTS', async () => {
        const key = await insertKey();
        const other = await insertKey();
        await aliases.insert(store.db, alias('alias/a', key.id));
        const err = await aliases.insert(store.db, alias('alias/a', other.id)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConflictError);
        expect((err as ConflictError).code).toBe('ALREADY_EXISTS');
        expect((await aliases.get(store.db, 'alias/a'))?.keyId).toBe(key.id);
      });

      it('a duplicate name inside a transaction fails with ALREADY_EXISTS and rolls back', async () => {
        const key = await insertKey();
        await aliases.insert(store.db, alias('alias/a', key.id));
        const code = await codeOf(
          store.transaction(async (tx) => {
            await aliases.insert(tx, alias('alias/b', key.id));
            await aliases.insert(tx, alias('alias/a', key.id));
          }),
        );
        expect(code).toBe('ALREADY_EXISTS');
        expect(await aliases.get(store.db, 'alias/b')).toBeUndefined();
      });

      it('update points the alias at another key', async () => {
        const key = await insertKey();
        const other = await insertKey();
        await aliases.insert(store.db, alias('alias/a', key.id));
        expect(await aliases.update(store.db, 'alias/a', other.id, at(50))).toBe(true);
        expect(await aliases.get(store.db, 'alias/a')).toEqual({ ...alias('alias/a', other.id), updatedAt: at(50) });
        expect(await aliases.update(store.db, 'alias/none', other.id, at(50))).toBe(false);
      });

      it('remove deletes the alias and says whether it existed', async () => {
        const key = await insertKey();
        await aliases.insert(store.db, alias('alias/a', key.id));
        expect(await aliases.remove(store.db, 'alias/a')).toBe(true);
        expect(await aliases.remove(store.db, 'alias/a')).toBe(false);
        expect(await aliases.get(store.db, 'alias/a')).toBeUndefined();
      });

      it('listByKey, list with paging and key filter, removeForKey', async () => {
        const key = await insertKey();
        const other = await insertKey();
        for (const n of ['alias/c', 'alias/a', 'alias/e']) await aliases.insert(store.db, alias(n, key.id));
        for (const n of ['alias/b', 'alias/d']) await aliases.insert(store.db, alias(n, other.id));

        expect((await aliases.listByKey(store.db, key.id)).map((a) => a.name)).toEqual([
          'alias/a',
          'alias/c',
          'alias/e',
        ]);

        const names: string[] = [];
        let after: string | undefined;
        do {
          const page = await aliases.list(store.db, { limit: 2, after });
          names.push(...page.items.map((a) => a.name));
          after = page.next ?? undefined;
        } while (after !== undefined);
        expect(names).toEqual(['alias/a', 'alias/b', 'alias/c', 'alias/d', 'alias/e']);

        const first = await aliases.list(store.db, { keyId: other.id, limit: 1 });
        expect(first.items.map((a) => a.name)).toEqual(['alias/b']);
        const second = await aliases.list(store.db, { keyId: other.id, limit: 1, after: first.next ?? undefined });
        expect(second.items.map((a) => a.name)).toEqual(['alias/d']);
        expect(second.next).toBeNull();

        expect(await codeOf(aliases.list(store.db, { limit: 1, after: 'garbage%' }))).toBe('INVALID_MARKER');

        expect(await aliases.removeForKey(store.db, key.id)).toBe(3);
        expect(await aliases.listByKey(store.db, key.id)).toEqual([]);
        expect(await aliases.listByKey(store.db, other.id)).toHaveLength(2);
      });
    });

    describe('tags', () => {
      it('put inserts and upserts, list orders by key, remove and count', async () => {
        const key = await insertKey();
        const other = await insertKey();
        expect(await tags.list(store.db, key.id)).toEqual([]);
        expect(await tags.count(store.db, key.id)).toBe(0);
        await tags.put(store.db, key.id, [
          { tagKey: 'team', tagValue: 'payments' },
          { tagKey: 'env', tagValue: 'prod' },
        ]);
        await tags.put(store.db, other.id, [{ tagKey: 'env', tagValue: 'dev' }]);
        await tags.put(store.db, key.id, [
          { tagKey: 'env', tagValue: 'staging' },
          { tagKey: 'cost', tagValue: '' },
        ]);
        await tags.put(store.db, key.id, []);
        expect(await tags.list(store.db, key.id)).toEqual([
          { tagKey: 'cost', tagValue: '' },
          { tagKey: 'env', tagValue: 'staging' },
          { tagKey: 'team', tagValue: 'payments' },
        ]);
        expect(await tags.count(store.db, key.id)).toBe(3);

        expect(await tags.remove(store.db, key.id, ['env', 'missing'])).toBe(1);
        expect(await tags.remove(store.db, key.id, [])).toBe(0);
        expect((await tags.list(store.db, key.id)).map((t) => t.tagKey)).toEqual(['cost', 'team']);
        expect(await tags.list(store.db, other.id)).toEqual([{ tagKey: 'env', tagValue: 'dev' }]);
      });
    });

    describe('importTokens', () => {
      const token = (keyId: string, expiresAt: Date) => ({
        id: randomUUID(),
        keyId,
        wrappingKeySpec: 'RSA_3072' as const,
        wrappingAlgorithm: 'RSAES_OAEP_SHA_256' as const,
        wrappedPrivateKey: new Uint8Array([9, 8, 7]),
        publicKey: new Uint8Array([1, 2, 3, 4]),
        createdAt: at(0),
        expiresAt,
      });

      it('round-trips, removes by key and removes expired tokens', async () => {
        const key = await insertKey({ state: 'PendingImport', latestVersion: 0 });
        const other = await insertKey({ state: 'PendingImport', latestVersion: 0 });
        const t1 = token(key.id, at(DAY));
        const t2 = token(key.id, at(2 * DAY));
        const t3 = token(other.id, at(DAY));
        const t4 = token(other.id, at(3 * DAY));
        for (const t of [t1, t2, t3, t4]) await importTokens.insert(store.db, t);

        expect(await importTokens.get(store.db, t1.id)).toEqual(t1);
        expect(await importTokens.get(store.db, randomUUID())).toBeUndefined();

        expect(await importTokens.removeForKey(store.db, key.id)).toBe(2);
        expect(await importTokens.get(store.db, t2.id)).toBeUndefined();

        expect(await importTokens.removeExpired(store.db, at(DAY))).toBe(1);
        expect(await importTokens.get(store.db, t3.id)).toBeUndefined();
        expect(await importTokens.get(store.db, t4.id)).toEqual(t4);
      });
    });

    describe('audit', () => {
      const append = (entry: AuditEntry) => store.transaction((tx) => auditLog.append(tx, entry, TEST_CHAIN_KEY));

      it('append outside a transaction fails with INTERNAL', async () => {
        expect(await codeOf(auditLog.append(store.db, makeEntry(), TEST_CHAIN_KEY))).toBe('INTERNAL');
      });

      it('chains records: the first prevHash is 64 zeros, each next prevHash is the previous hash', async () => {
        const first = await append(makeEntry({ details: { b: 1, a: [1, { z: true, y: null }] } }));
        const second = await append(makeEntry({ operation: 'Decrypt', outcome: 'denied', errorCode: 'ACCESS_DENIED' }));
        expect(first.prevHash).toBe('0'.repeat(64));
        expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(second.prevHash).toBe(first.hash);
        expect(second.seq).toBeGreaterThan(first.seq);
        expect(first.details).toEqual({ a: [1, { y: null, z: true }], b: 1 });
      });

      it('hashes HMAC-SHA-256(key, prevHash || canonical JSON of the fields), as documented (chain 2)', async () => {
        const entry = makeEntry({ time: at(123), keyVersion: 2, details: { b: 1, a: 'x' } });
        const record = await append(entry);
        const canonical = JSON.stringify([
          entry.time.toISOString(),
          entry.principal,
          entry.operation,
          entry.keyId,
          entry.keyVersion,
          entry.outcome,
          entry.errorCode,
          entry.requestId,
          '{"a":"x","b":1}',
        ]);
        expect(record.hash).toBe(
          createHmac('sha256', TEST_CHAIN_KEY).update('0'.repeat(64)).update(canonical).digest('hex'),
        );
      });

      it('round-trips every field through list', async () => {
        const key = await insertKey();
        const entry = makeEntry({
          time: at(123),
          keyId: key.id,
          keyVersion: 2,
          outcome: 'failed',
          errorCode: 'INVALID_CIPHERTEXT',
          details: { algorithm: 'SYMMETRIC_DEFAULT', n: 3 },
        });
        const record = await append(entry);
        const [read] = await audit.list(store.db, { limit: 10 });
        expect(read).toEqual({ ...entry, seq: record.seq, prevHash: record.prevHash, hash: record.hash });
      });

      it('appendMany chains a batch in order', async () => {
        await append(makeEntry());
        const batch = await store.transaction((tx) =>
          auditLog.appendMany(
            tx,
            [makeEntry({ operation: 'A' }), makeEntry({ operation: 'B' }), makeEntry({ operation: 'C' })],
            TEST_CHAIN_KEY,
          ),
        );
        expect(batch.map((r) => r.operation)).toEqual(['A', 'B', 'C']);
        expect(batch[1]?.prevHash).toBe(batch[0]?.hash);
        expect(batch[2]?.prevHash).toBe(batch[1]?.hash);
        expect(await store.transaction((tx) => auditLog.appendMany(tx, [], TEST_CHAIN_KEY))).toEqual([]);
        expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 4 });
      });

      it('list filters by key, principal and operation and pages by seq', async () => {
        const k1 = randomUUID();
        const k2 = randomUUID();
        await append(makeEntry({ keyId: k1, principal: 'alice', operation: 'Encrypt' }));
        await append(makeEntry({ keyId: k2, principal: 'bob', operation: 'Encrypt' }));
        await append(makeEntry({ keyId: k1, principal: 'bob', operation: 'Decrypt' }));
        await append(makeEntry({ keyId: k1, principal: 'alice', operation: 'Decrypt' }));

        const all = await audit.list(store.db, { limit: 100 });
        expect(all).toHaveLength(4);
        expect(all.map((r) => r.seq)).toEqual([...all.map((r) => r.seq)].sort((a, b) => a - b));

        expect((await audit.list(store.db, { limit: 100, keyId: k1 })).map((r) => r.principal)).toEqual([
          'alice',
          'bob',
          'alice',
        ]);
        expect(await audit.list(store.db, { limit: 100, principal: 'bob' })).toHaveLength(2);
        expect(await audit.list(store.db, { limit: 100, operation: 'Decrypt', principal: 'alice' })).toHaveLength(1);

        const page1 = await audit.list(store.db, { limit: 2 });
        const page2 = await audit.list(store.db, { limit: 2, after: page1[1]?.seq });
        expect([...page1, ...page2].map((r) => r.seq)).toEqual(all.map((r) => r.seq));
        expect(await audit.list(store.db, { limit: 2, after: page2[1]?.seq })).toEqual([]);
      });

      it('verifyChain accepts an empty log and an intact chain', async () => {
        expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 0 });
        for (let i = 0; i < 5; i++) await append(makeEntry({ details: { i } }));
        expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 5 });
      });

      it('verifyChain detects an edited record', async () => {
        const records: number[] = [];
        for (let i = 0; i < 5; i++) records.push((await append(makeEntry())).seq);
        await sql`update audit_log set principal = ${'mallory'} where seq = ${records[2]}`.execute(store.db);
        expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: false, brokenAt: records[2] });
      });

      it('verifyChain detects edited details', async () => {
        const seqs: number[] = [];
        for (let i = 0; i < 3; i++) seqs.push((await append(makeEntry({ details: { amount: i } }))).seq);
        await sql`update audit_log set details = ${'{"amount":99}'} where seq = ${seqs[1]}`.execute(store.db);
        expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: false, brokenAt: seqs[1] });
      });

      it('verifyChain detects a deleted record at the record after it', async () => {
        const seqs: number[] = [];
        for (let i = 0; i < 5; i++) seqs.push((await append(makeEntry())).seq);
        await sql`delete from audit_log where seq = ${seqs[1]}`.execute(store.db);
        expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: false, brokenAt: seqs[2] });
      });

      it('verifyChain detects a deleted first record', async () => {
        const seqs: number[] = [];
        for (let i = 0; i < 3; i++) seqs.push((await append(makeEntry())).seq);
        await sql`delete from audit_log where seq = ${seqs[0]}`.execute(store.db);
        expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: false, brokenAt: seqs[1] });
      });

      it('verifyChain walks chains longer than one batch', async () => {
        const entries = Array.from({ length: 1203 }, (_, i) => makeEntry({ details: { i } }));
        await store.transaction((tx) => auditLog.appendMany(tx, entries, TEST_CHAIN_KEY));
        expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 1203 });
      });

      it('concurrent appends in separate transactions keep one chain', async () => {
        await Promise.all(Array.from({ length: 20 }, (_, i) => append(makeEntry({ details: { i } }))));
        expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 20 });
      });
    });

    const accessKey = (id: string, createdAt: Date, overrides: Partial<AccessKeyRecord> = {}): AccessKeyRecord => ({
      id,
      principal: `access-key:${id}`,
      roles: ['key-user'],
      wrappedSecret: new Uint8Array([1, 2, 3, 250]),
      description: '',
      tags: null,
      createdAt,
      revokedAt: null,
      lastUsedAt: null,
      ...overrides,
    });

    const token = (id: string, createdAt: Date, overrides: Partial<TokenRecord> = {}): TokenRecord => ({
      id,
      principal: `token:${id}`,
      roles: ['key-user'],
      tokenHash: `${id.padEnd(8, '0')}${'ab'.repeat(28)}`,
      description: '',
      tags: null,
      createdAt,
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
      ...overrides,
    });

    describe('accessKeys', () => {
      it('round-trips every field, and a second insert of the same id fails with ALREADY_EXISTS', async () => {
        const record = accessKey('AKIACUSTOSAAAAAAAAAA', at(5), {
          roles: ['admin', 'key-user'],
          description: 'ci',
          tags: { team: 'billing', env: 'prod' },
          lastUsedAt: at(9),
        });
        await accessKeys.insert(store.db, record);
        expect(await accessKeys.get(store.db, record.id)).toEqual(record);
        expect(await accessKeys.get(store.db, 'AKIACUSTOSZZZZZZZZZZ')).toBeUndefined();
        const err = await accessKeys.insert(store.db, accessKey(record.id, at(6))).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConflictError);
        expect((err as ConflictError).code).toBe('ALREADY_EXISTS');
      });
    });

    describe('keyCertificates', () => {
      it('round-trips a chain, replaces it keeping its creation time, and refuses a tampered row', async () => {
        const key = await insertKey();
        expect(await keyCertificates.get(store.db, key.id)).toBeUndefined();
        await keyCertificates.put(store.db, { keyId: key.id, keyVersion: 1, chain: ['leaf', 'root'] }, at(1));
        expect(await keyCertificates.get(store.db, key.id)).toEqual({
          keyId: key.id,
          keyVersion: 1,
          chain: ['leaf', 'root'],
          createdAt: at(1),
          updatedAt: at(1),
        });
        await keyCertificates.put(store.db, { keyId: key.id, keyVersion: 2, chain: ['other'] }, at(5));
        expect(await keyCertificates.get(store.db, key.id)).toMatchObject({
          keyVersion: 2,
          chain: ['other'],
          createdAt: at(1),
          updatedAt: at(5),
        });
        await sql`update key_certificates set chain = ${JSON.stringify(['swapped'])}`.execute(store.db);
        await expect(keyCertificates.get(store.db, key.id)).rejects.toBeInstanceOf(RowIntegrityError);
      });
    });

    // Key PINs (key-pins)
    describe('keyPins', () => {
      const pinRecord = (keyId: string) => ({
        keyId,
        policy: { minLength: 4, maxLength: 8, format: 'numeric' as const, retryLimit: 3 },
        pinHash: 's1.15.8.1.salt.pin',
        pukHash: 's1.15.8.1.salt.puk',
        pinFailures: 0,
        pukFailures: 0,
        blocked: false,
        createdAt: at(1),
        updatedAt: at(1),
      });

      it('round-trips a PIN row, changes it by compare-and-set, and refuses a tampered counter', async () => {
        const key = await insertKey({ pinProtected: true });
        expect((await keys.get(store.db, key.id))?.pinProtected).toBe(true);
        expect(await keyPins.get(store.db, key.id)).toBeUndefined();
        await keyPins.insert(store.db, pinRecord(key.id));
        expect(await keyPins.get(store.db, key.id)).toEqual(pinRecord(key.id));
        const changed = await keyPins.change(store.db, key.id, (s) => ({ pinFailures: s.pinFailures + 2 }), at(2));
        expect(changed?.before.pinFailures).toBe(0);
        expect(await keyPins.get(store.db, key.id)).toMatchObject({ pinFailures: 2, updatedAt: at(2) });
        const none = await keyPins.change(store.db, key.id, () => null, at(3));
        expect(none?.written).toBeNull();
        expect(await keyPins.change(store.db, randomUUID(), () => ({ blocked: true }), at(3))).toBeUndefined();
        await sql`update key_pins set pin_failures = 0`.execute(store.db);
        await expect(keyPins.get(store.db, key.id)).rejects.toBeInstanceOf(RowIntegrityError);
      });

      it('counts each of 20 concurrent increments once', async () => {
        const key = await insertKey({ pinProtected: true });
        await keyPins.insert(store.db, pinRecord(key.id));
        await Promise.all(
          Array.from({ length: 20 }, () =>
            keyPins.change(store.db, key.id, (s) => ({ pinFailures: s.pinFailures + 1 }), at(2)),
          ),
        );
        expect((await keyPins.get(store.db, key.id))?.pinFailures).toBe(20);
      });
    });

    describe('keyrings', () => {
      it('round-trips policies (replace keeps the creation time) and refuses a tampered policy row', async () => {
        const policy = { applicationId: 'APP', validityDays: 10, preExpireDays: 2, active: true, accessAllowed: 'NA' };
        await keyringPolicies.put(store.db, policy, at(1));
        await keyringPolicies.put(store.db, { ...policy, active: false }, at(3));
        expect(await keyringPolicies.get(store.db, 'APP')).toEqual({
          ...policy,
          active: false,
          createdAt: at(1),
          updatedAt: at(3),
        });
        expect((await keyringPolicies.list(store.db)).map((p) => p.applicationId)).toContain('APP');
        await sql`update keyring_policies set active = 1 where application_id = 'APP'`.execute(store.db);
        await expect(keyringPolicies.get(store.db, 'APP')).rejects.toBeInstanceOf(RowIntegrityError);
        expect(await keyringPolicies.remove(store.db, 'APP')).toBe(true);
        expect(await keyringPolicies.remove(store.db, 'APP')).toBe(false);
      });

      it('round-trips generations newest first, finds them by thumbprint and kind, and refuses a tampered row', async () => {
        const key = await insertKey();
        const entry = (id: string, generatedAt: Date) => ({
          id,
          applicationId: 'APP',
          referenceId: 'R',
          kind: 'BASE' as const,
          keyId: key.id,
          certificate: `pem-${id}`,
          thumbprint: `TP-${id}`,
          uniqueIdentifier: 'U',
          generatedAt,
          expiresAt: at(100),
          createdAt: generatedAt,
        });
        await keyringKeys.insert(store.db, entry('a', at(1)));
        await keyringKeys.insert(store.db, entry('b', at(2)));
        expect((await keyringKeys.ofKeyring(store.db, 'APP', 'R')).map((e) => e.id)).toEqual(['b', 'a']);
        expect(await keyringKeys.byThumbprint(store.db, 'APP', 'R', 'TP-a')).toEqual([entry('a', at(1))]);
        expect((await keyringKeys.ofKind(store.db, 'BASE')).map((e) => e.id)).toEqual(['b', 'a']);
        expect(await keyringKeys.setExpiry(store.db, 'a', at(5))).toBe(true);
        expect((await keyringKeys.byThumbprint(store.db, 'APP', 'R', 'TP-a'))[0]?.expiresAt).toEqual(at(5));
        await sql`update keyring_keys set thumbprint = 'TP-b' where id = 'a'`.execute(store.db);
        await expect(keyringKeys.ofKeyring(store.db, 'APP', 'R')).rejects.toBeInstanceOf(RowIntegrityError);
      });
    });

    describe('attestationIdentity', () => {
      it('keeps the first chain unless told to replace it, keeps its creation time, and refuses a tampered row', async () => {
        expect(await attestationIdentity.get(store.db)).toBeUndefined();
        const publicKey = Uint8Array.from([1, 2, 3]);
        await attestationIdentity.put(store.db, { publicKey, chain: ['root'] }, at(1), false);
        await attestationIdentity.put(store.db, { publicKey, chain: ['second'] }, at(2), false); // a second node's
        expect(await attestationIdentity.get(store.db)).toEqual({
          publicKey,
          chain: ['root'],
          createdAt: at(1),
          updatedAt: at(1),
        });
        await attestationIdentity.put(store.db, { publicKey, chain: ['ca', 'operator root'] }, at(5), true);
        expect(await attestationIdentity.get(store.db)).toMatchObject({
          chain: ['ca', 'operator root'],
          createdAt: at(1),
          updatedAt: at(5),
        });
        await sql`update attestation_identity set chain = ${JSON.stringify(['swapped'])}`.execute(store.db);
        await expect(attestationIdentity.get(store.db)).rejects.toBeInstanceOf(RowIntegrityError);
      });
    });

    describe('trustedCertificates', () => {
      const anchor = (id: string, domain: string, createdAt: Date): TrustedCertificateRecord => ({
        id,
        domain,
        thumbprint: `thumb-${id}`,
        subject: `CN=${id}`,
        issuer: `CN=${id}`,
        notBefore: at(0),
        notAfter: at(DAY),
        certificate: `pem ${id}`,
        createdAt,
      });

      it('round-trips, lists by domain and in pages, refuses a duplicate, removes, and refuses a tampered row', async () => {
        await trustedCertificates.insert(store.db, anchor('a', 'd1', at(1)));
        await trustedCertificates.insert(store.db, anchor('b', 'd2', at(2)));
        await trustedCertificates.insert(store.db, anchor('c', 'd1', at(3)));
        expect(await trustedCertificates.inDomain(store.db, 'd1')).toEqual([
          anchor('a', 'd1', at(1)),
          anchor('c', 'd1', at(3)),
        ]);
        const first = await trustedCertificates.list(store.db, { limit: 2 });
        expect(first.items.map((r) => r.id)).toEqual(['a', 'b']);
        const rest = await trustedCertificates.list(store.db, { limit: 2, after: first.next! });
        expect(rest).toEqual({ items: [anchor('c', 'd1', at(3))], next: null });
        expect((await trustedCertificates.list(store.db, { limit: 10, domain: 'd2' })).items.map((r) => r.id)).toEqual([
          'b',
        ]);
        expect(await codeOf(trustedCertificates.list(store.db, { limit: 1, after: 'x' }))).toBe('INVALID_MARKER');
        expect(
          await codeOf(trustedCertificates.insert(store.db, { ...anchor('a2', 'd1', at(4)), thumbprint: 'thumb-a' })),
        ).toBe('ALREADY_EXISTS');
        expect(await trustedCertificates.remove(store.db, 'a')).toBe(true);
        expect(await trustedCertificates.remove(store.db, 'a')).toBe(false);
        await sql`update trusted_certificates set domain = 'd1' where id = 'b'`.execute(store.db);
        await expect(trustedCertificates.inDomain(store.db, 'd1')).rejects.toBeInstanceOf(RowIntegrityError);
      });
    });

    describe('grants', () => {
      const grant = (id: string, keyId: string, createdAt: Date, more: Partial<GrantRecord> = {}): GrantRecord => ({
        id: id.padEnd(64, '0'),
        keyId,
        granteePrincipal: 'arn:aws:iam::000000000000:user/app',
        retiringPrincipal: null,
        operations: ['Encrypt'],
        constraints: null,
        name: null,
        issuingPrincipal: 'arn:aws:iam::000000000000:user/admin',
        createdAt,
        ...more,
      });

      it('round-trips, lists per key (filtered, paged) and per retiring principal, counts, removes, refuses a tampered row', async () => {
        const [k1, k2] = [await insertKey(), await insertKey()];
        const full = grant('a', k1.id, at(1), {
          retiringPrincipal: 'arn:aws:iam::000000000000:role/ops',
          operations: ['Encrypt', 'Decrypt', 'RetireGrant'],
          constraints: { encryptionContextEquals: { a: '1' }, encryptionContextSubset: { b: '2' } },
          name: 'n1',
        });
        await grants.insert(store.db, full);
        await grants.insert(store.db, grant('b', k1.id, at(2), { name: 'n1' }));
        await grants.insert(store.db, grant('c', k2.id, at(3), { retiringPrincipal: full.retiringPrincipal }));
        expect(await grants.get(store.db, full.id)).toEqual(full);
        expect(await grants.get(store.db, 'f'.repeat(64))).toBeUndefined();
        expect(await codeOf(grants.insert(store.db, full))).toBe('ALREADY_EXISTS');
        expect((await grants.forKey(store.db, k1.id)).map((g) => g.id[0])).toEqual(['a', 'b']);
        expect((await grants.withName(store.db, k1.id, 'n1')).map((g) => g.id[0])).toEqual(['a', 'b']);
        expect(await grants.countForKey(store.db, k1.id)).toBe(2);
        const first = await grants.list(store.db, { keyId: k1.id }, { limit: 1 });
        const rest = await grants.list(store.db, { keyId: k1.id }, { limit: 1, after: first.next! });
        expect([...first.items, ...rest.items].map((g) => g.id[0])).toEqual(['a', 'b']);
        expect(rest.next).toBeNull();
        const byGrantee = await grants.list(store.db, { keyId: k1.id, granteePrincipal: 'nobody' }, { limit: 5 });
        expect(byGrantee.items).toEqual([]);
        const byId = await grants.list(store.db, { keyId: k1.id, grantId: full.id }, { limit: 5 });
        expect(byId.items).toEqual([full]);
        const retirable = await grants.list(store.db, { retiringPrincipal: full.retiringPrincipal! }, { limit: 5 });
        expect(retirable.items.map((g) => g.id[0])).toEqual(['a', 'c']);
        expect(await codeOf(grants.list(store.db, { keyId: k1.id }, { limit: 1, after: 'x' }))).toBe('INVALID_MARKER');
        expect(await grants.remove(store.db, grant('b', k1.id, at(0)).id)).toBe(true);
        expect(await grants.remove(store.db, grant('b', k1.id, at(0)).id)).toBe(false);
        // A grant moved to another key, or given more operations, fails its MAC and is never used.
        await sql`update grants set key_id = ${k2.id} where id = ${full.id}`.execute(store.db);
        await expect(grants.forKey(store.db, k2.id)).rejects.toBeInstanceOf(RowIntegrityError);
        await sql`update grants set key_id = ${k1.id}, operations = '["Encrypt","Decrypt","Sign"]'`.execute(store.db);
        await expect(grants.get(store.db, full.id)).rejects.toBeInstanceOf(RowIntegrityError);
      });
    });

    describe('tokens', () => {
      it('count is 0 on a fresh store and counts revoked tokens too', async () => {
        expect(await tokens.count(store.db)).toBe(0);
        await tokens.insert(store.db, token('t1', at(0)));
        await tokens.insert(store.db, token('t2', at(0), { revokedAt: at(1) }));
        expect(await tokens.count(store.db)).toBe(2);
      });

      it('round-trips every field by id and by hash; a duplicate id or hash fails with ALREADY_EXISTS', async () => {
        const record = token('t-full', at(5), {
          roles: ['admin', 'key-admin'],
          description: 'ci',
          tags: { team: 'billing' },
          expiresAt: at(DAY),
          lastUsedAt: at(9),
        });
        await tokens.insert(store.db, record);
        expect(await tokens.get(store.db, record.id)).toEqual(record);
        expect(await tokens.getByHash(store.db, record.tokenHash)).toEqual(record);
        expect(await tokens.get(store.db, 'nope')).toBeUndefined();
        expect(await tokens.getByHash(store.db, 'f'.repeat(64))).toBeUndefined();
        for (const dup of [
          token(record.id, at(6), { tokenHash: 'c'.repeat(64) }),
          token('t-other', at(6), { tokenHash: record.tokenHash }),
        ]) {
          const err = await tokens.insert(store.db, dup).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(ConflictError);
          expect((err as ConflictError).code).toBe('ALREADY_EXISTS');
        }
      });
    });

    // Tokens and access keys are both credentials: the same revoke, touch and paging rules.
    describe.each([
      {
        table: 'tokens',
        repo: () => tokens,
        make: (id: string, createdAt: Date) => token(id, createdAt),
        revokeId: 't-rev',
        unknownId: 'nope',
        inserted: ['t3', 't1', 't2', 't4'],
      },
      {
        table: 'access keys',
        repo: () => accessKeys,
        make: (id: string, createdAt: Date) => accessKey(id, createdAt),
        revokeId: 'AKIACUSTOSBBBBBBBBBB',
        unknownId: 'AKIACUSTOSNOPENOPENO',
        inserted: ['AKIACUSTOSCCCCCCCCC3', 'AKIACUSTOSCCCCCCCCC1', 'AKIACUSTOSCCCCCCCCC2', 'AKIACUSTOSCCCCCCCCC4'],
      },
    ] as const)('$table as credentials', ({ repo, make, revokeId, unknownId, inserted }) => {
      type Credential = TokenRecord | AccessKeyRecord;
      const credentials = () =>
        repo() as unknown as {
          insert(db: Db, record: Credential): Promise<void>;
          get(db: Db, id: string): Promise<Credential | undefined>;
          revoke(db: Db, id: string, at: Date): Promise<boolean>;
          touch(db: Db, id: string, at: Date): Promise<void>;
          list(db: Db, query: { limit: number; after?: string }): Promise<{ items: Credential[]; next: string | null }>;
        };

      it('revoke marks it once; touch records the last use', async () => {
        const record = make(revokeId, at(0));
        await credentials().insert(store.db, record);
        expect(await credentials().revoke(store.db, record.id, at(DAY))).toBe(true);
        expect(await credentials().revoke(store.db, record.id, at(2 * DAY))).toBe(false);
        expect(await credentials().revoke(store.db, unknownId, at(DAY))).toBe(false);
        await credentials().touch(store.db, record.id, at(3 * DAY));
        expect(await credentials().get(store.db, record.id)).toEqual({
          ...record,
          revokedAt: at(DAY),
          lastUsedAt: at(3 * DAY),
        });
      });

      it('lists oldest first (ties by id) in pages; a foreign marker fails with INVALID_MARKER', async () => {
        const times = [at(2), at(1), at(1), at(3)];
        for (const [i, id] of inserted.entries()) await credentials().insert(store.db, make(id, times[i]!));
        const expected = [inserted[1], inserted[2], inserted[0], inserted[3]];
        const all = await credentials().list(store.db, { limit: 10 });
        expect(all.items.map((c) => c.id)).toEqual(expected);
        expect(all.next).toBeNull();
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await credentials().list(store.db, { limit: 3, ...(after ? { after } : {}) });
          seen.push(...page.items.map((c) => c.id));
          if (!page.next) break;
          after = page.next;
        }
        expect(seen).toEqual(expected);
        const bad = await credentials()
          .list(store.db, { limit: 3, after: 'bm90LWEtY3Vyc29y' })
          .catch((e: unknown) => e);
        expect(bad).toBeInstanceOf(ValidationError);
        expect((bad as ValidationError).code).toBe('INVALID_MARKER');
      });
    });

    describe('meta', () => {
      it('get, set and overwrite', async () => {
        expect(await meta.get(store.db, 'root.check')).toBeUndefined();
        await meta.set(store.db, 'root.check', 'abc');
        expect(await meta.get(store.db, 'root.check')).toBe('abc');
        await meta.set(store.db, 'root.check', 'def');
        expect(await meta.get(store.db, 'root.check')).toBe('def');
        expect(await meta.remove(store.db, 'root.check')).toBe(true);
        expect(await meta.get(store.db, 'root.check')).toBeUndefined();
      });

      it('setIfAbsent stores a new value and otherwise returns the existing one, unchanged', async () => {
        expect(await store.transaction((tx) => meta.setIfAbsent(tx, 'root.check', 'first'))).toBe('first');
        expect(await meta.setIfAbsent(store.db, 'root.check', 'second')).toBe('first');
        expect(await meta.get(store.db, 'root.check')).toBe('first');
      });

      it('peek reads a value of a migrated store', async () => {
        expect(await meta.peek(store.db, 'root.check')).toBeUndefined();
        await meta.set(store.db, 'root.check', 'abc');
        expect(await meta.peek(store.db, 'root.check')).toBe('abc');
      });
    });
  });
}
