// Per-key PINs through LocalKms: the PIN policy at CreateKey, the PUK returned once, the retry limit and the block,
// unblocking by an admin and by PUK (with a new PIN), wrong PUKs, the PIN and PUK absent from logs and audit records,
// and the row MACs that catch a reset counter, a swapped hash or a removed PIN row.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller, CreateKeyRequest, PinPolicy } from '@custos/contract';
import { sqliteDriver } from '../../../src/store/sqlite-driver.js';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { openTestKms, utf8, type TestKms } from '../helpers.js';

const SqliteDatabase = sqliteDriver();
const POLICY: PinPolicy = { minLength: 4, maxLength: 8, format: 'numeric', retryLimit: 3 };
const PIN = '2468';
const ADMIN: Caller = { principal: 'alice', roles: ['admin'] };
const USER: Caller = { principal: 'app', roles: ['key-user'] };
const KEY_ADMIN: Caller = { principal: 'ops', roles: ['key-admin'] };
const withPin = (caller: Caller, keyPin: string): Caller => ({ ...caller, keyPin });
const plaintext = utf8('pinned');

describe('key PINs', () => {
  let t: TestKms;
  const logged: unknown[] = [];
  beforeAll(async () => {
    t = await openTestKms({ logger: { error: (details, message) => void logged.push([details, message]) } });
  });
  afterAll(async () => t.cleanup());

  async function pinnedKey(over: Partial<CreateKeyRequest> = {}): Promise<{ keyId: string; puk: string }> {
    const created = await t.kms.createKey({ pinPolicy: POLICY, pin: PIN, ...over });
    expect(created.puk).toMatch(/^[0-9]{20}$/);
    return { keyId: created.keyMetadata.keyId, puk: created.puk! };
  }
  const encrypt = (keyId: string, caller: Caller) => t.kms.encrypt({ keyId, plaintext }, caller);

  describe('CreateKey', () => {
    it('returns a PUK once, and a key without a PIN policy gets none', async () => {
      const { keyId, puk } = await pinnedKey();
      const again = await pinnedKey();
      expect(again.puk).not.toBe(puk);
      expect((await t.kms.describeKey({ keyId })).keyMetadata).not.toHaveProperty('puk');
      expect(await t.kms.createKey({})).not.toHaveProperty('puk');
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a policy without a PIN', { pinPolicy: POLICY, pin: undefined }, 'VALIDATION_ERROR'],
      ['a PIN without a policy', { pinPolicy: undefined, pin: PIN }, 'VALIDATION_ERROR'],
      ['minLength above maxLength', { pinPolicy: { ...POLICY, minLength: 9 } }, 'VALIDATION_ERROR'],
      ['a retry limit of 0', { pinPolicy: { ...POLICY, retryLimit: 0 } }, 'VALIDATION_ERROR'],
      ['an unknown format', { pinPolicy: { ...POLICY, format: 'binary' as 'numeric' } }, 'VALIDATION_ERROR'],
      [
        'an unknown restriction',
        { pinPolicy: { ...POLICY, patternRestrictions: ['x' as 'sequence'] } },
        'VALIDATION_ERROR',
      ],
      ['a PIN too short', { pin: '123' }, 'KEY_PIN_POLICY_VIOLATION'],
      ['a PIN of the wrong format', { pin: '12ab' }, 'KEY_PIN_POLICY_VIOLATION'],
      [
        'a sequence',
        { pin: '1234', pinPolicy: { ...POLICY, patternRestrictions: ['sequence'] } },
        'KEY_PIN_POLICY_VIOLATION',
      ],
      [
        'a repeated digit',
        { pin: '1231', pinPolicy: { ...POLICY, patternRestrictions: ['repeated'] } },
        'KEY_PIN_POLICY_VIOLATION',
      ],
    ])('refuses %s, and makes no key', async (_name, over, code) => {
      const before = (await t.kms.listKeys({ limit: 1000 })).keys.length;
      const fields = Object.entries({ pinPolicy: POLICY, pin: PIN, ...over }).filter(([, v]) => v !== undefined);
      const request = Object.fromEntries(fields) as CreateKeyRequest;
      await expectKmsError(t.kms.createKey(request), code as 'VALIDATION_ERROR');
      expect((await t.kms.listKeys({ limit: 1000 })).keys.length).toBe(before);
    });
  });

  describe('use', () => {
    it('needs the PIN: none is KEY_PIN_REQUIRED, the right one works, a wrong one is KEY_PIN_INVALID', async () => {
      const { keyId } = await pinnedKey();
      await expectKmsError(encrypt(keyId, USER), 'KEY_PIN_REQUIRED');
      await expectKmsError(encrypt(keyId, withPin(USER, '')), 'KEY_PIN_REQUIRED');
      const { ciphertextBlob } = await encrypt(keyId, withPin(USER, PIN));
      await expectKmsError(t.kms.decrypt({ ciphertextBlob }, USER), 'KEY_PIN_REQUIRED');
      await expectKmsError(t.kms.decrypt({ ciphertextBlob }, withPin(USER, '1357')), 'KEY_PIN_INVALID');
      expect((await t.kms.decrypt({ ciphertextBlob }, withPin(USER, PIN))).plaintext).toEqual(plaintext);
    });

    it('reads of the key need no PIN; authorisation and state come first', async () => {
      const { keyId } = await pinnedKey();
      await t.kms.describeKey({ keyId }, USER);
      await expectKmsError(encrypt(keyId, KEY_ADMIN), 'ACCESS_DENIED'); // no PIN asked of a caller who may not use it
      await t.kms.disableKey({ keyId });
      await expectKmsError(encrypt(keyId, USER), 'KEY_DISABLED');
    });

    it('counts wrong PINs to the retry limit, then refuses even the right PIN as KEY_PIN_BLOCKED', async () => {
      const { keyId } = await pinnedKey();
      const wrong = withPin(USER, '9999');
      await expect(encrypt(keyId, wrong)).rejects.toMatchObject({ code: 'KEY_PIN_INVALID', message: /2 tries left/ });
      await expect(encrypt(keyId, wrong)).rejects.toMatchObject({ code: 'KEY_PIN_INVALID', message: /1 try left/ });
      await expectKmsError(encrypt(keyId, wrong), 'KEY_PIN_BLOCKED');
      await expectKmsError(encrypt(keyId, withPin(USER, PIN)), 'KEY_PIN_BLOCKED');
      await expectKmsError(encrypt(keyId, withPin({ ...ADMIN, principal: 'other' }, PIN)), 'KEY_PIN_BLOCKED');
    });

    it('a right PIN resets the counter, also when this node remembers it', async () => {
      const { keyId } = await pinnedKey();
      const wrong = withPin(USER, '9999');
      await encrypt(keyId, withPin(USER, PIN)); // remembered (pin-cache.ts)
      await expectKmsError(encrypt(keyId, wrong), 'KEY_PIN_INVALID');
      await expectKmsError(encrypt(keyId, wrong), 'KEY_PIN_INVALID');
      await encrypt(keyId, withPin(USER, PIN));
      await expect(encrypt(keyId, wrong)).rejects.toMatchObject({ code: 'KEY_PIN_INVALID', message: /2 tries left/ });
    });

    it('counts every one of a burst of concurrent wrong PINs: no more comparisons than the retry limit', async () => {
      const { keyId } = await pinnedKey({ pinPolicy: { ...POLICY, retryLimit: 4 } });
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) => encrypt(keyId, withPin(USER, String(5000 + i)))),
      );
      const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
      expect(codes.filter((c) => c === 'KEY_PIN_INVALID').length).toBeLessThanOrEqual(3);
      expect(codes.every((c) => c === 'KEY_PIN_INVALID' || c === 'KEY_PIN_BLOCKED')).toBe(true);
      await expectKmsError(encrypt(keyId, withPin(USER, PIN)), 'KEY_PIN_BLOCKED');
    });
  });

  describe('UnblockKeyPin', () => {
    async function blockedKey(): Promise<{ keyId: string; puk: string }> {
      const key = await pinnedKey();
      for (let i = 0; i < POLICY.retryLimit; i++)
        await encrypt(key.keyId, withPin(USER, '0000')).catch(() => undefined);
      await expectKmsError(encrypt(key.keyId, withPin(USER, PIN)), 'KEY_PIN_BLOCKED');
      return key;
    }

    it('by an admin, without a PUK', async () => {
      const { keyId } = await blockedKey();
      await expectKmsError(t.kms.unblockKeyPin({ keyId }, USER), 'ACCESS_DENIED');
      await t.kms.unblockKeyPin({ keyId }, KEY_ADMIN);
      await encrypt(keyId, withPin(USER, PIN));
    });

    it('by a key user with the PUK, who may set a new PIN', async () => {
      const { keyId, puk } = await blockedKey();
      await expectKmsError(t.kms.unblockKeyPin({ keyId, puk }, KEY_ADMIN), 'ACCESS_DENIED'); // may not use the key
      await expectKmsError(t.kms.unblockKeyPin({ keyId, puk, newPin: '12' }, USER), 'KEY_PIN_POLICY_VIOLATION');
      await expectKmsError(t.kms.unblockKeyPin({ keyId, newPin: '8642' }, ADMIN), 'VALIDATION_ERROR');
      await t.kms.unblockKeyPin({ keyId, puk, newPin: '8642' }, USER);
      await expectKmsError(encrypt(keyId, withPin(USER, PIN)), 'KEY_PIN_INVALID');
      await encrypt(keyId, withPin(USER, '8642'));
    });

    it('by a principal with no role whom the key policy lets use the key and unblock it, with the PUK', async () => {
      const billing: Caller = { principal: 'billing', roles: [] };
      const statement = (Sid: string, AWS: string, Action: string | string[]) => ({
        Sid,
        Effect: 'Allow',
        Principal: { AWS },
        Action,
        Resource: '*',
      });
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          statement('Root', 'arn:aws:iam::000000000000:root', 'kms:*'),
          statement('Billing', 'arn:aws:iam::000000000000:user/billing', ['kms:Encrypt', 'kms:UnblockKeyPin']),
        ],
      });
      const { keyId, puk } = await pinnedKey({ policy });
      for (let i = 0; i < POLICY.retryLimit; i++) await encrypt(keyId, withPin(billing, '0000')).catch(() => undefined);
      await expectKmsError(encrypt(keyId, withPin(billing, PIN)), 'KEY_PIN_BLOCKED');
      await expectKmsError(t.kms.unblockKeyPin({ keyId }, billing), 'ACCESS_DENIED'); // no PUK: an admin's
      await t.kms.unblockKeyPin({ keyId, puk }, billing);
      await encrypt(keyId, withPin(billing, PIN));
      // Another role-less principal the policy does not name gets nowhere, PUK or not.
      await expectKmsError(t.kms.unblockKeyPin({ keyId, puk }, { principal: 'other', roles: [] }), 'ACCESS_DENIED');
    });

    it('counts wrong PUKs: ten block the PUK, and only an admin unblock helps then', async () => {
      const { keyId, puk } = await blockedKey();
      const wrongPuk = puk === '0'.repeat(20) ? '1'.repeat(20) : '0'.repeat(20);
      await expect(t.kms.unblockKeyPin({ keyId, puk: wrongPuk }, USER)).rejects.toMatchObject({
        code: 'KEY_PUK_INVALID',
        message: /9 tries left/,
      });
      for (let i = 0; i < 8; i++)
        await expectKmsError(t.kms.unblockKeyPin({ keyId, puk: wrongPuk }, USER), 'KEY_PUK_INVALID');
      await expectKmsError(t.kms.unblockKeyPin({ keyId, puk: wrongPuk }, USER), 'KEY_PUK_BLOCKED');
      await expectKmsError(t.kms.unblockKeyPin({ keyId, puk }, USER), 'KEY_PUK_BLOCKED');
      await expectKmsError(encrypt(keyId, withPin(USER, PIN)), 'KEY_PIN_BLOCKED');
      await t.kms.unblockKeyPin({ keyId }, ADMIN);
      await t.kms.unblockKeyPin({ keyId, puk }, USER); // the PUK counter was reset too
      await encrypt(keyId, withPin(USER, PIN));
    });

    it('refuses a key without a PIN', async () => {
      const { keyId } = (await t.kms.createKey({})).keyMetadata;
      await expectKmsError(t.kms.unblockKeyPin({ keyId }, ADMIN), 'VALIDATION_ERROR');
    });

    it('is audited, saying how, without the PUK or PIN', async () => {
      const { keyId, puk } = await blockedKey();
      await t.kms.unblockKeyPin({ keyId, puk, newPin: '8642' }, { ...USER, requestId: 'unblock-1' });
      const { records } = await t.kms.listAuditRecords({ keyId, limit: 1000 });
      const record = records.find((r) => r.requestId === 'unblock-1');
      expect(record).toMatchObject({ operation: 'UnblockKeyPin', outcome: 'allowed', principal: 'app' });
      const raw = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true });
      const stored = raw.prepare('select details from audit_log where request_id = ?').get('unblock-1') as {
        details: string;
      };
      raw.close();
      expect(JSON.parse(stored.details)).toMatchObject({ unblockedWith: 'puk', pinChanged: true });
      expect(JSON.stringify(records) + stored.details).not.toContain(puk);
    });
  });

  it('no PIN or PUK in the audit log, the log, or an error message', async () => {
    const pin = '73910264';
    const created = await t.kms.createKey({ pinPolicy: { ...POLICY, retryLimit: 2 }, pin });
    const keyId = created.keyMetadata.keyId;
    const puk = created.puk!;
    const errors: string[] = [];
    const note = (error: unknown) => void errors.push(String(error), JSON.stringify(error));
    await encrypt(keyId, withPin(USER, pin));
    await encrypt(keyId, withPin(USER, '73910265')).catch(note);
    await encrypt(keyId, withPin(USER, '73910266')).catch(note);
    await t.kms.unblockKeyPin({ keyId, puk: '1'.repeat(20) }, USER).catch(note);
    await t.kms.unblockKeyPin({ keyId, puk, newPin: '11223344' }, USER);
    const { records } = await t.kms.listAuditRecords({ limit: 1000 });
    const raw = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true });
    const rows = raw.prepare('select * from audit_log').all();
    raw.close();
    const everything = JSON.stringify({ records, rows, logged }) + errors.join('\n');
    expect(errors.length).toBeGreaterThan(0);
    for (const secret of [pin, '73910265', '73910266', puk, '1'.repeat(20), '11223344']) {
      expect(everything).not.toContain(secret);
    }
    expect(records.filter((r) => r.keyId === keyId).map((r) => r.errorCode)).toEqual(
      expect.arrayContaining(['KEY_PIN_INVALID', 'KEY_PIN_BLOCKED', 'KEY_PUK_INVALID']),
    );
  });

  describe('the database is not trusted', () => {
    /** Runs SQL on the store's file as an attacker with database access would. */
    function tamper(statement: string, ...params: unknown[]): void {
      const raw = new SqliteDatabase(join(t.dir, 'custos.db'));
      try {
        raw.prepare(statement).run(...params);
      } finally {
        raw.close();
      }
    }

    it('a reset failure counter fails the row MAC: INTERNAL, never another round of guesses', async () => {
      const { keyId } = await pinnedKey();
      await expectKmsError(encrypt(keyId, withPin(USER, '0000')), 'KEY_PIN_INVALID');
      tamper('update key_pins set pin_failures = 0 where key_id = ?', keyId);
      await expectKmsError(encrypt(keyId, withPin(USER, '0000')), 'INTERNAL');
      await expectKmsError(encrypt(keyId, withPin(USER, PIN)), 'INTERNAL');
    });

    it("another key's PIN hash swapped in fails the row MAC", async () => {
      const mine = await pinnedKey();
      const theirs = await pinnedKey({ pin: '97531' });
      tamper(
        'update key_pins set pin_hash = (select pin_hash from key_pins where key_id = ?) where key_id = ?',
        theirs.keyId,
        mine.keyId,
      );
      await expectKmsError(encrypt(mine.keyId, withPin(USER, '97531')), 'INTERNAL');
    });

    it('a removed PIN row or a cleared pin_protected flag does not lift the PIN', async () => {
      const a = await pinnedKey();
      tamper('delete from key_pins where key_id = ?', a.keyId);
      await expectKmsError(encrypt(a.keyId, USER), 'KEY_PIN_REQUIRED');
      await expectKmsError(encrypt(a.keyId, withPin(USER, PIN)), 'INTERNAL');
      const b = await pinnedKey();
      tamper('update keys set pin_protected = 0 where id = ?', b.keyId);
      await t.reopen(); // no key cache to answer from
      await expectKmsError(encrypt(b.keyId, USER), 'INTERNAL');
    });
  });
});
