// The Kms contract on LocalKms whose root of trust is a PKCS#11 token (SoftHSM2): every wrap, unwrap and derived key
// comes from the token. Then what the root of trust changes for a store: it is bound to the token's key (a file root
// is refused), a restart finds the key, a row tampered in the database is refused (its MAC key is derived in the
// token), and the PIN is in no log and no error. Skipped loudly without softhsm2 (an error under CUSTOS_REQUIRE_SOFTHSM=1).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATIONS, type Caller, type Kms, type Role } from '@custos/contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { LocalKms, type LocalKmsOptions, type RootOfTrustSettings } from '../../src/service/local-kms.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { describeSoftHsm, makeToken, type TestToken } from '../helpers/softhsm.js';
import { describeKmsContract } from './kms-contract.js';

const PIN = '90417-contract-pin';

/** `kms` acting as `caller` whenever a call names no caller of its own. */
function actingAs(kms: Kms, caller: Caller): Kms {
  const methods = Object.fromEntries(
    Object.keys(OPERATIONS).map((operation) => [
      operation,
      (input: unknown, own?: Caller) =>
        (kms as unknown as Record<string, (i: unknown, c: Caller) => Promise<unknown>>)[operation]!(
          input,
          own ?? caller,
        ),
    ]),
  );
  return { ...methods, close: () => Promise.resolve() } as unknown as Kms;
}

describeSoftHsm('the Kms contract on a PKCS#11 root of trust')('LocalKms on a PKCS#11 root of trust', () => {
  let contractToken: TestToken;
  let token: TestToken;
  let otherToken: TestToken;
  beforeAll(() => {
    contractToken = makeToken(PIN);
    token = makeToken(PIN);
    otherToken = makeToken(PIN);
  });
  const pkcs11 = (t: TestToken): Extract<RootOfTrustSettings, { kind: 'pkcs11' }> => ({
    kind: 'pkcs11',
    module: t.module,
    tokenLabel: t.label,
    pin: t.pin,
  });

  describeKmsContract('LocalKms (PKCS#11 root, SoftHSM2)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'custos-contract-p11-'));
    const kms = await LocalKms.open({
      dataDir,
      rootOfTrust: pkcs11(contractToken),
      maintenanceIntervalMs: 0,
      logger: { error: () => undefined },
    });
    return {
      kms,
      asRole: (role: Role) => Promise.resolve(actingAs(kms, { principal: `contract:${role}`, roles: [role] })),
      async cleanup() {
        await kms.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  });

  let dataDir: string;
  const logged: string[] = [];
  const open = (extra: Partial<LocalKmsOptions> = {}): Promise<LocalKms> =>
    LocalKms.open({
      dataDir,
      rootOfTrust: pkcs11(token),
      maintenanceIntervalMs: 0,
      config: { keyCacheTtlMs: 0 },
      logger: { error: (details, message) => void logged.push(message, JSON.stringify(details)) },
      ...extra,
    });
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'custos-p11-store-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps serving after a restart on the same token, and writes no root.key file', async () => {
    let kms = await open();
    const { keyId } = (await kms.createKey({ description: 'under the HSM root' })).keyMetadata;
    const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext: new Uint8Array([1, 2, 3]) });
    await kms.close();
    kms = await open();
    try {
      expect((await kms.decrypt({ ciphertextBlob })).plaintext).toEqual(new Uint8Array([1, 2, 3]));
      const { existsSync } = await import('node:fs');
      expect(existsSync(join(dataDir, 'root.key'))).toBe(false);
    } finally {
      await kms.close();
    }
  });

  it("refuses a store bound to the token's key when opened with a file root, or with another token", async () => {
    await expectKmsError(open({ rootOfTrust: { kind: 'file' } }), 'VALIDATION_ERROR');
    await expectKmsError(open({ rootOfTrust: pkcs11(otherToken) }), 'VALIDATION_ERROR');
    // And a file-rooted store refuses the token.
    const fileDir = await mkdtemp(join(tmpdir(), 'custos-p11-file-'));
    try {
      await (await LocalKms.open({ dataDir: fileDir, maintenanceIntervalMs: 0 })).close();
      await expectKmsError(
        LocalKms.open({ dataDir: fileDir, rootOfTrust: pkcs11(token), maintenanceIntervalMs: 0 }),
        'VALIDATION_ERROR',
      );
    } finally {
      await rm(fileDir, { recursive: true, force: true });
    }
  });

  it('refuses a passphrase or root key file beside the PKCS#11 root (VALIDATION_ERROR)', async () => {
    await expectKmsError(open({ passphrase: 'x' }), 'VALIDATION_ERROR');
    await expectKmsError(open({ rootKeyFile: join(dataDir, 'root.key') }), 'VALIDATION_ERROR');
  });

  it('refuses a key row tampered in the database: the row MAC key is derived in the token', async () => {
    let kms = await open();
    const { keyId } = (await kms.createKey({})).keyMetadata;
    await kms.disableKey({ keyId });
    await kms.close();
    const db = new (sqliteDriver())(join(dataDir, 'custos.db'));
    try {
      db.prepare(`update keys set state = 'Enabled' where id = ?`).run(keyId);
    } finally {
      db.close();
    }
    kms = await open();
    try {
      logged.length = 0;
      await expectKmsError(kms.encrypt({ keyId, plaintext: new Uint8Array([1]) }), 'INTERNAL');
      expect(logged.join('\n')).toMatch(/row integrity check failed/);
    } finally {
      await kms.close();
    }
  });

  it('puts the PIN in no error, log line or audit record', async () => {
    logged.length = 0;
    const wrong = await open({ rootOfTrust: { ...pkcs11(token), pin: `${PIN}0` } }).then(
      () => expect.fail('opened with a wrong PIN'),
      (err: unknown) => err as Error & { code: string },
    );
    expect(wrong.code).toBe('UNAUTHENTICATED');
    expect(`${wrong.message}\n${wrong.stack ?? ''}\n${JSON.stringify(wrong)}`).not.toContain(PIN);
    const kms = await open();
    try {
      await kms.createKey({});
    } finally {
      await kms.close();
    }
    expect(logged.join('\n')).not.toContain(PIN);
    const db = new (sqliteDriver())(join(dataDir, 'custos.db'));
    try {
      const rows = db.prepare('select * from audit_log').all();
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain(PIN);
      expect(JSON.stringify(db.prepare('select * from meta').all())).not.toContain(PIN);
    } finally {
      db.close();
    }
  });
});
