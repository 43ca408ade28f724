// Custom key stores on LocalKms with a SoftHSM2 root of trust: each store is another token of the same module. The
// life of a store (create, describe, connect, disconnect, update, delete), every refusal with its code, and the PIN
// in no answer, audit record, log line or database column. Skipped loudly without softhsm2.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { LocalKms } from '../../../src/service/local-kms.js';
import { sqliteDriver } from '../../../src/store/sqlite-driver.js';
import { describeSoftHsm, makeToken, type TestToken } from '../../helpers/softhsm.js';

const ROOT_PIN = '52817-root-pin';
const STORE_PIN = '66021-store-pin-secret';
const TRUST_ANCHOR = readFileSync(new URL('../../fixtures/trust-anchor.pem', import.meta.url), 'utf8');

describeSoftHsm('custom key stores')('custom key stores on PKCS#11 tokens (LocalKms, SoftHSM2 root)', () => {
  let root: TestToken;
  let tokens: TestToken[];
  let dataDir: string;
  let kms: LocalKms;
  const logged: string[] = [];
  let n = 0;
  /** Moves the service's clock (deletion windows). */
  let clockOffsetMs = 0;
  /** A fresh token for one test (made before the module loads: SoftHSM2 lists its tokens at C_Initialize). */
  const nextToken = (): TestToken => tokens[n++]!;
  const create = async (token: TestToken, pin = STORE_PIN, name = `store-${token.label}`) =>
    (
      await kms.createCustomKeyStore({
        customKeyStoreName: name,
        cloudHsmClusterId: token.label,
        keyStorePassword: pin,
        trustAnchorCertificate: TRUST_ANCHOR,
      })
    ).customKeyStoreId;
  const describeOne = async (customKeyStoreId: string) =>
    (await kms.describeCustomKeyStores({ customKeyStoreId })).customKeyStores[0]!;

  beforeAll(async () => {
    root = makeToken(ROOT_PIN);
    tokens = Array.from({ length: 14 }, () => makeToken(STORE_PIN));
    dataDir = await mkdtemp(join(tmpdir(), 'custos-cks-'));
    kms = await LocalKms.open({
      dataDir,
      rootOfTrust: { kind: 'pkcs11', module: root.module, tokenLabel: root.label, pin: root.pin },
      maintenanceIntervalMs: 0,
      now: () => new Date(Date.now() + clockOffsetMs),
      config: { keyCacheTtlMs: 0 },
      logger: { error: (details, message) => void logged.push(message, JSON.stringify(details)) },
    });
  });
  afterAll(async () => {
    await kms.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a DISCONNECTED store with an AWS-shaped id, and describes it by id, by name and in the list', async () => {
    const token = nextToken();
    const id = await create(token, STORE_PIN, 'payments');
    expect(id).toMatch(/^cks-[0-9a-f]{17}$/);
    const entry = await describeOne(id);
    expect(entry).toEqual({
      customKeyStoreId: id,
      customKeyStoreName: 'payments',
      customKeyStoreType: 'AWS_CLOUDHSM',
      cloudHsmClusterId: token.label,
      trustAnchorCertificate: TRUST_ANCHOR.trim() + '\n',
      connectionState: 'DISCONNECTED',
      creationDate: expect.any(Date),
    });
    expect((await kms.describeCustomKeyStores({ customKeyStoreName: 'payments' })).customKeyStores).toEqual([entry]);
    const all = await kms.describeCustomKeyStores({});
    expect(all.customKeyStores.map((s) => s.customKeyStoreId)).toContain(id);
    expect(all.truncated).toBe(false);
  });

  it('connects (CONNECTED; again is a no-op), disconnects (DISCONNECTED; again is a no-op)', async () => {
    const id = await create(nextToken());
    await kms.connectCustomKeyStore({ customKeyStoreId: id });
    expect((await describeOne(id)).connectionState).toBe('CONNECTED');
    await kms.connectCustomKeyStore({ customKeyStoreId: id });
    expect((await describeOne(id)).connectionState).toBe('CONNECTED');
    await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
    expect((await describeOne(id)).connectionState).toBe('DISCONNECTED');
    await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
    expect((await describeOne(id)).connectionState).toBe('DISCONNECTED');
  });

  it('a wrong PIN leaves the store FAILED with INVALID_CREDENTIALS; it must be disconnected, then updated, to connect', async () => {
    const id = await create(nextToken(), 'not-the-pin');
    await kms.connectCustomKeyStore({ customKeyStoreId: id });
    const failed = await describeOne(id);
    expect(failed.connectionState).toBe('FAILED');
    expect(failed.connectionErrorCode).toBe('INVALID_CREDENTIALS');
    await expectKmsError(kms.connectCustomKeyStore({ customKeyStoreId: id }), 'CUSTOM_KEY_STORE_INVALID_STATE');
    await expectKmsError(
      kms.updateCustomKeyStore({ customKeyStoreId: id, keyStorePassword: STORE_PIN }),
      'CUSTOM_KEY_STORE_INVALID_STATE',
    );
    await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
    const disconnected = await describeOne(id);
    expect(disconnected.connectionState).toBe('DISCONNECTED');
    expect(disconnected.connectionErrorCode).toBeUndefined();
    await kms.updateCustomKeyStore({ customKeyStoreId: id, keyStorePassword: STORE_PIN });
    await kms.connectCustomKeyStore({ customKeyStoreId: id });
    expect((await describeOne(id)).connectionState).toBe('CONNECTED');
    await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
  });

  it('a token label no slot has leaves the store FAILED with CLUSTER_NOT_FOUND; relabelled, it connects', async () => {
    const id = await kms
      .createCustomKeyStore({
        customKeyStoreName: 'nowhere',
        cloudHsmClusterId: 'no-such-token-label',
        keyStorePassword: STORE_PIN,
        trustAnchorCertificate: TRUST_ANCHOR,
      })
      .then((r) => r.customKeyStoreId);
    await kms.connectCustomKeyStore({ customKeyStoreId: id });
    expect(await describeOne(id)).toMatchObject({
      connectionState: 'FAILED',
      connectionErrorCode: 'CLUSTER_NOT_FOUND',
    });
    await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
    const token = nextToken();
    await kms.updateCustomKeyStore({
      customKeyStoreId: id,
      cloudHsmClusterId: token.label,
      newCustomKeyStoreName: 'found',
    });
    await kms.connectCustomKeyStore({ customKeyStoreId: id });
    expect(await describeOne(id)).toMatchObject({
      customKeyStoreName: 'found',
      cloudHsmClusterId: token.label,
      connectionState: 'CONNECTED',
    });
    await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
  });

  it('refuses a name or a token another store has (CUSTOM_KEY_STORE_NAME_IN_USE, CLOUD_HSM_CLUSTER_IN_USE), at create and update', async () => {
    const a = nextToken();
    const b = nextToken();
    await create(a, STORE_PIN, 'taken-name');
    const other = await create(b, STORE_PIN, 'other-name');
    await expectKmsError(create(nextToken(), STORE_PIN, 'taken-name'), 'CUSTOM_KEY_STORE_NAME_IN_USE');
    await expectKmsError(create(a, STORE_PIN, 'fresh-name'), 'CLOUD_HSM_CLUSTER_IN_USE');
    await expectKmsError(
      kms.updateCustomKeyStore({ customKeyStoreId: other, newCustomKeyStoreName: 'taken-name' }),
      'CUSTOM_KEY_STORE_NAME_IN_USE',
    );
    await expectKmsError(
      kms.updateCustomKeyStore({ customKeyStoreId: other, cloudHsmClusterId: a.label }),
      'CLOUD_HSM_CLUSTER_IN_USE',
    );
    expect(await describeOne(other)).toMatchObject({ customKeyStoreName: 'other-name', cloudHsmClusterId: b.label });
  });

  it('refuses to update or delete a CONNECTED store (CUSTOM_KEY_STORE_INVALID_STATE); deletes a DISCONNECTED one', async () => {
    const id = await create(nextToken());
    await kms.connectCustomKeyStore({ customKeyStoreId: id });
    await expectKmsError(
      kms.updateCustomKeyStore({ customKeyStoreId: id, newCustomKeyStoreName: 'renamed' }),
      'CUSTOM_KEY_STORE_INVALID_STATE',
    );
    await expectKmsError(kms.deleteCustomKeyStore({ customKeyStoreId: id }), 'CUSTOM_KEY_STORE_INVALID_STATE');
    expect(await describeOne(id)).toMatchObject({
      connectionState: 'CONNECTED',
      customKeyStoreName: `store-${tokens[n - 1]!.label}`,
    });
    await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
    await kms.deleteCustomKeyStore({ customKeyStoreId: id });
    await expectKmsError(kms.describeCustomKeyStores({ customKeyStoreId: id }), 'CUSTOM_KEY_STORE_NOT_FOUND');
    for (const call of [
      kms.connectCustomKeyStore({ customKeyStoreId: id }),
      kms.disconnectCustomKeyStore({ customKeyStoreId: id }),
      kms.updateCustomKeyStore({ customKeyStoreId: id, newCustomKeyStoreName: 'x' }),
      kms.deleteCustomKeyStore({ customKeyStoreId: id }),
    ])
      await expectKmsError(call, 'CUSTOM_KEY_STORE_NOT_FOUND');
    await expectKmsError(
      kms.describeCustomKeyStores({ customKeyStoreName: 'no-such-store' }),
      'CUSTOM_KEY_STORE_NOT_FOUND',
    );
  });

  it('refuses bad input: EXTERNAL_KEY_STORE, a trust anchor that is no certificate, missing fields, id and name together, an empty update', async () => {
    const base = {
      customKeyStoreName: 'bad',
      cloudHsmClusterId: 'x',
      keyStorePassword: STORE_PIN,
      trustAnchorCertificate: TRUST_ANCHOR,
    };
    await expectKmsError(
      kms.createCustomKeyStore({ ...base, customKeyStoreType: 'EXTERNAL_KEY_STORE' }),
      'UNSUPPORTED',
    );
    await expectKmsError(
      kms.createCustomKeyStore({ ...base, trustAnchorCertificate: 'hello' }),
      'INCORRECT_TRUST_ANCHOR',
    );
    const mangled = TRUST_ANCHOR.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
    await expectKmsError(
      kms.createCustomKeyStore({ ...base, trustAnchorCertificate: mangled }),
      'INCORRECT_TRUST_ANCHOR',
    );
    await expectKmsError(
      kms.createCustomKeyStore({ ...base, trustAnchorCertificate: TRUST_ANCHOR + TRUST_ANCHOR }),
      'INCORRECT_TRUST_ANCHOR',
    );
    const { keyStorePassword: _pin, ...noPin } = base;
    await expectKmsError(kms.createCustomKeyStore(noPin), 'VALIDATION_ERROR');
    await expectKmsError(kms.createCustomKeyStore({ ...base, cloudHsmClusterId: '' }), 'VALIDATION_ERROR');
    // A client can name no library: there is no such field.
    await expectKmsError(
      kms.createCustomKeyStore({ ...base, module: '/tmp/evil.so' } as unknown as Parameters<
        LocalKms['createCustomKeyStore']
      >[0]),
      'VALIDATION_ERROR',
    );
    await expectKmsError(
      kms.describeCustomKeyStores({ customKeyStoreId: 'cks-0123456789abcdef0', customKeyStoreName: 'bad' }),
      'VALIDATION_ERROR',
    );
    await expectKmsError(kms.describeCustomKeyStores({ customKeyStoreId: 'cks-1' }), 'VALIDATION_ERROR');
    await expectKmsError(kms.updateCustomKeyStore({ customKeyStoreId: 'cks-0123456789abcdef0' }), 'VALIDATION_ERROR');
    const names = (await kms.describeCustomKeyStores({})).customKeyStores.map((s) => s.customKeyStoreName);
    expect(names).not.toContain('bad');
  });

  it('CreateKey in a CONNECTED store makes the key in its token: Encrypt/Decrypt, Sign, DescribeKey fields', async () => {
    const token = nextToken();
    const id = await create(token, STORE_PIN, 'keys-here');
    await expectKmsError(
      kms.createKey({ customKeyStoreId: id, origin: 'AWS_CLOUDHSM' }),
      'CUSTOM_KEY_STORE_INVALID_STATE', // DISCONNECTED
    );
    await kms.connectCustomKeyStore({ customKeyStoreId: id });
    const { keyMetadata } = await kms.createKey({
      customKeyStoreId: id,
      origin: 'AWS_CLOUDHSM',
      description: 'in the store',
    });
    expect(keyMetadata).toMatchObject({
      origin: 'AWS_CLOUDHSM',
      customKeyStoreId: id,
      cloudHsmClusterId: token.label,
      protectionLevel: 'HSM',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyState: 'Enabled',
    });
    const { keyId } = keyMetadata;
    expect((await kms.describeKey({ keyId })).keyMetadata).toMatchObject({
      origin: 'AWS_CLOUDHSM',
      customKeyStoreId: id,
      cloudHsmClusterId: token.label,
    });
    const plaintext = new TextEncoder().encode('kept in the token');
    const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext, encryptionContext: { app: 'x' } });
    expect((await kms.decrypt({ ciphertextBlob, encryptionContext: { app: 'x' } })).plaintext).toEqual(plaintext);
    await expectKmsError(kms.decrypt({ ciphertextBlob, encryptionContext: { app: 'y' } }), 'INVALID_CIPHERTEXT');
    // What the token serves beyond AES: an ECDSA key.
    const signer = (
      await kms.createKey({
        customKeyStoreId: id,
        origin: 'AWS_CLOUDHSM',
        keySpec: 'ECC_NIST_P256',
        keyUsage: 'SIGN_VERIFY',
      })
    ).keyMetadata.keyId;
    const { signature } = await kms.sign({ keyId: signer, message: plaintext, signingAlgorithm: 'ECDSA_SHA_256' });
    expect(
      (await kms.verify({ keyId: signer, message: plaintext, signature, signingAlgorithm: 'ECDSA_SHA_256' }))
        .signatureValid,
    ).toBe(true);
    // As on AWS, keys in a custom key store do not rotate.
    await expectKmsError(kms.rotateKeyOnDemand({ keyId }), 'UNSUPPORTED');
    // Disconnected, its keys cannot be used (the row is read again: keyCacheTtlMs 0); connected again, they can.
    await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
    await expectKmsError(kms.encrypt({ keyId, plaintext }), 'CUSTOM_KEY_STORE_INVALID_STATE');
    await expectKmsError(
      kms.decrypt({ ciphertextBlob, encryptionContext: { app: 'x' } }),
      'CUSTOM_KEY_STORE_INVALID_STATE',
    );
    expect((await kms.describeKey({ keyId })).keyMetadata.customKeyStoreId).toBe(id);
    // While it holds keys, a store cannot be deleted; once they are destroyed, it can.
    await expectKmsError(kms.deleteCustomKeyStore({ customKeyStoreId: id }), 'CUSTOM_KEY_STORE_HAS_KEYS');
    await kms.connectCustomKeyStore({ customKeyStoreId: id });
    expect((await kms.decrypt({ ciphertextBlob, encryptionContext: { app: 'x' } })).plaintext).toEqual(plaintext);
    for (const k of [keyId, signer]) await kms.scheduleKeyDeletion({ keyId: k, pendingWindowInDays: 7, force: true });
    clockOffsetMs = 8 * 24 * 60 * 60 * 1000;
    try {
      await kms.runMaintenance();
    } finally {
      clockOffsetMs = 0;
    }
    expect((await kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Destroyed');
    await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
    await kms.deleteCustomKeyStore({ customKeyStoreId: id });
    await expectKmsError(kms.describeCustomKeyStores({ customKeyStoreId: id }), 'CUSTOM_KEY_STORE_NOT_FOUND');
  });

  it('CreateKey refuses a store id without origin AWS_CLOUDHSM (and the reverse), SOFTWARE protection, an unknown store, a spec the token lacks', async () => {
    const id = await create(nextToken(), STORE_PIN, 'create-key-refusals');
    await kms.connectCustomKeyStore({ customKeyStoreId: id });
    await expectKmsError(kms.createKey({ customKeyStoreId: id }), 'VALIDATION_ERROR');
    await expectKmsError(kms.createKey({ customKeyStoreId: id, origin: 'AWS_KMS' }), 'VALIDATION_ERROR');
    await expectKmsError(kms.createKey({ origin: 'AWS_CLOUDHSM' }), 'VALIDATION_ERROR');
    await expectKmsError(
      kms.createKey({ customKeyStoreId: id, origin: 'AWS_CLOUDHSM', protectionLevel: 'SOFTWARE' }),
      'VALIDATION_ERROR',
    );
    await expectKmsError(
      kms.createKey({ customKeyStoreId: 'cks-0123456789abcdef0', origin: 'AWS_CLOUDHSM' }),
      'CUSTOM_KEY_STORE_NOT_FOUND',
    );
    await expectKmsError(
      kms.createKey({
        customKeyStoreId: id,
        origin: 'AWS_CLOUDHSM',
        keySpec: 'ECC_NIST_EDWARDS25519',
        keyUsage: 'SIGN_VERIFY',
      }),
      'UNSUPPORTED',
    );
    await expectKmsError(
      kms.createKey({ customKeyStoreId: id, origin: 'AWS_CLOUDHSM', exportable: true }),
      'UNSUPPORTED',
    );
    const { keys } = await kms.listKeys({});
    const inStore = [];
    for (const k of keys) {
      const { keyMetadata } = await kms.describeKey({ keyId: k.keyId });
      if (keyMetadata.customKeyStoreId === id) inStore.push(k.keyId);
    }
    expect(inStore).toEqual([]); // nothing half-made
    await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
    await kms.deleteCustomKeyStore({ customKeyStoreId: id });
  });

  it('refuses key store operations on a server with no PKCS#11 module (UNSUPPORTED)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-cks-file-'));
    const plain = await LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0 });
    try {
      await expectKmsError(
        plain.createCustomKeyStore({
          customKeyStoreName: 'x',
          cloudHsmClusterId: 'x',
          keyStorePassword: STORE_PIN,
          trustAnchorCertificate: TRUST_ANCHOR,
        }),
        'UNSUPPORTED',
      );
    } finally {
      await plain.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('pages the store list', async () => {
    const first = await kms.describeCustomKeyStores({ limit: 1 });
    expect(first.customKeyStores).toHaveLength(1);
    expect(first.truncated).toBe(true);
    const second = await kms.describeCustomKeyStores({ limit: 1, marker: first.nextMarker! });
    expect(second.customKeyStores[0]!.customKeyStoreId).not.toBe(first.customKeyStores[0]!.customKeyStoreId);
    await expectKmsError(kms.describeCustomKeyStores({ marker: 'bogus!' }), 'INVALID_MARKER');
  });

  it('refuses a store row edited in the database (row MAC), and a wrapped PIN copied from another store', async () => {
    const a = await create(nextToken(), STORE_PIN, 'mac-a');
    const b = await create(nextToken(), STORE_PIN, 'mac-b');
    const db = new (sqliteDriver())(join(dataDir, 'custos.db'));
    try {
      db.prepare(`update custom_key_stores set connection_state = 'CONNECTED' where id = ?`).run(a);
      logged.length = 0;
      await expectKmsError(kms.describeCustomKeyStores({ customKeyStoreId: a }), 'INTERNAL');
      expect(logged.join('\n')).toMatch(/row integrity check failed/);
      db.prepare(`update custom_key_stores set connection_state = 'DISCONNECTED' where id = ?`).run(a);
      // A wrapped PIN is bound to its store's id, and the row MAC covers it: copied over, the row fails its MAC.
      db.prepare(
        `update custom_key_stores set wrapped_pin = (select wrapped_pin from custom_key_stores where id = ?) where id = ?`,
      ).run(a, b);
      await expectKmsError(kms.connectCustomKeyStore({ customKeyStoreId: b }), 'INTERNAL');
      db.prepare(`delete from custom_key_stores where id = ?`).run(b); // leave no broken row to the next tests
    } finally {
      db.close();
    }
  });

  it('puts the PIN in no answer, audit record, log line or database column', async () => {
    const id = await create(nextToken());
    await kms.connectCustomKeyStore({ customKeyStoreId: id });
    await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
    await kms.updateCustomKeyStore({ customKeyStoreId: id, keyStorePassword: STORE_PIN });
    await expectKmsError(
      kms.createCustomKeyStore({
        customKeyStoreName: 'pin-check',
        cloudHsmClusterId: 'x',
        keyStorePassword: STORE_PIN,
        trustAnchorCertificate: 'not a certificate',
      }),
      'INCORRECT_TRUST_ANCHOR',
    );
    const answers = JSON.stringify(await kms.describeCustomKeyStores({}));
    const audit = JSON.stringify(await kms.listAuditRecords({ limit: 1000 }));
    expect(audit).toContain('CreateCustomKeyStore');
    const raw = new (sqliteDriver())(join(dataDir, 'custos.db'), { readonly: true });
    let stored: string;
    try {
      stored = JSON.stringify(raw.prepare('select * from custom_key_stores').all());
      stored += JSON.stringify(raw.prepare('select * from audit_log').all());
    } finally {
      raw.close();
    }
    const forms = [STORE_PIN, Buffer.from(STORE_PIN).toString('hex'), Buffer.from(STORE_PIN).toString('base64')];
    for (const text of [answers, audit, stored, logged.join('\n')])
      for (const form of forms) expect(text.includes(form)).toBe(false);
  });
});
