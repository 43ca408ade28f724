// A root-key rotation re-wraps a custom key store's token PIN (one more wrapped column): after it, and after a
// restart, the store still connects and its keys still work, and the PIN's row names the new root key.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOCAL_ADMIN, LocalKms } from '../../../src/service/local-kms.js';
import { sqliteDriver } from '../../../src/store/sqlite-driver.js';
import { describeSoftHsm, makeToken, type TestToken } from '../../helpers/softhsm.js';

const STORE_PIN = '70412-rotated-store-pin';
const TRUST_ANCHOR = readFileSync(new URL('../../fixtures/trust-anchor.pem', import.meta.url), 'utf8');

interface PinRow {
  wrapped_pin: Uint8Array;
  root_kcv: string | null;
}

describeSoftHsm('custom key store PIN across a root rotation')('root rotation and custom key stores', () => {
  let token: TestToken;
  let dataDir: string;
  beforeAll(async () => {
    token = makeToken(STORE_PIN);
    dataDir = await mkdtemp(join(tmpdir(), 'custos-cks-rotate-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });
  const open = () =>
    LocalKms.open({ dataDir, hsmModule: token.module, maintenanceIntervalMs: 0, logger: { error: () => undefined } });
  const pinRow = (id: string): PinRow => {
    const db = new (sqliteDriver())(join(dataDir, 'custos.db'), { readonly: true });
    try {
      return db.prepare('select wrapped_pin, root_kcv from custom_key_stores where id = ?').get(id) as PinRow;
    } finally {
      db.close();
    }
  };

  it('re-wraps the PIN under the new root key; the store connects and its keys work after a restart', async () => {
    let kms = await open();
    const { customKeyStoreId } = await kms.createCustomKeyStore({
      customKeyStoreName: 'rotated',
      cloudHsmClusterId: token.label,
      keyStorePassword: STORE_PIN,
      trustAnchorCertificate: TRUST_ANCHOR,
    });
    await kms.connectCustomKeyStore({ customKeyStoreId });
    const { keyId } = (await kms.createKey({ customKeyStoreId, origin: 'AWS_CLOUDHSM' })).keyMetadata;
    const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext: new TextEncoder().encode('in the token') });
    await kms.disconnectCustomKeyStore({ customKeyStoreId });
    const before = pinRow(customKeyStoreId);

    const done = await kms.rotateRoot(LOCAL_ADMIN);
    expect(done).toMatchObject({ state: 'done', error: null });
    const after = pinRow(customKeyStoreId);
    expect(after.root_kcv).toBe(done.newKeyCheckValue);
    expect(Buffer.from(after.wrapped_pin)).not.toEqual(Buffer.from(before.wrapped_pin));
    await kms.close();

    kms = await open();
    try {
      await kms.connectCustomKeyStore({ customKeyStoreId });
      const [store] = (await kms.describeCustomKeyStores({ customKeyStoreId })).customKeyStores;
      expect(store?.connectionState).toBe('CONNECTED');
      const { plaintext } = await kms.decrypt({ ciphertextBlob });
      expect(new TextDecoder().decode(plaintext)).toBe('in the token');
    } finally {
      await kms.close();
    }
  });
});
