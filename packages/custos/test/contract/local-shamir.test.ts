// The Kms contract on LocalKms whose root of trust is a Shamir-sealed root key file, opened with a threshold of its
// unseal shares (what a sealed server does at the threshold). Then what the root changes for a store: it is bound to
// the unsealed root key (a file root or another Shamir file is refused), a restart with other shares serves the same
// keys, and too few shares or a passphrase are refused before the store is touched.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATIONS, type Caller, type Kms, type Role } from '@custos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { LocalKms, type LocalKmsOptions } from '../../src/service/local-kms.js';
import { initShamir } from '../../src/service/shamir.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { describeKmsContract } from './kms-contract.js';

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

describeKmsContract('LocalKms (Shamir root, unsealed with 3 of 5 shares)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-contract-shamir-'));
  const { unsealShares } = await initShamir({ dataDir, shares: 5, threshold: 3 });
  const kms = await LocalKms.open({
    dataDir,
    rootOfTrust: { kind: 'shamir', unsealShares: [unsealShares[3]!, unsealShares[0]!, unsealShares[4]!] },
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

describe('LocalKms on a Shamir root of trust', () => {
  let dataDir: string;
  let shares: string[];
  const open = (extra: Partial<LocalKmsOptions> = {}, unsealShares = shares.slice(0, 2)): Promise<LocalKms> =>
    LocalKms.open({
      dataDir,
      rootOfTrust: { kind: 'shamir', unsealShares },
      maintenanceIntervalMs: 0,
      logger: { error: () => undefined },
      ...extra,
    });
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'custos-shamir-store-'));
    ({ unsealShares: shares } = await initShamir({ dataDir, shares: 3, threshold: 2 }));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('refuses too few shares and a passphrase before anything is written to the store', async () => {
    await expectKmsError(open({}, shares.slice(0, 1)), 'TOO_FEW_SHARES');
    await expectKmsError(open({ passphrase: 'x' }), 'VALIDATION_ERROR');
    const db = new (sqliteDriver())(join(dataDir, 'custos.db'), { readonly: true });
    try {
      expect(db.prepare("select name from sqlite_master where type = 'table'").all()).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('serves the same keys after a restart with other shares, and reports its root of trust', async () => {
    let kms = await open();
    expect(kms.rootOfTrustKind).toBe('shamir');
    const { keyId } = (await kms.createKey({})).keyMetadata;
    const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext: new Uint8Array([4, 2]) });
    await kms.close();
    kms = await open({}, [shares[2]!, shares[1]!]);
    try {
      expect((await kms.decrypt({ ciphertextBlob })).plaintext).toEqual(new Uint8Array([4, 2]));
    } finally {
      await kms.close();
    }
  });

  it('is bound to the unsealed root key: a file root, or another Shamir file, is refused', async () => {
    await expectKmsError(LocalKms.open({ dataDir, maintenanceIntervalMs: 0 }), 'VALIDATION_ERROR');
    const otherFile = join(dataDir, 'other.key');
    const other = await initShamir({ dataDir: join(dataDir, 'x'), rootKeyFile: otherFile, shares: 2, threshold: 2 });
    await expectKmsError(open({ rootKeyFile: otherFile }, other.unsealShares), 'VALIDATION_ERROR');
  });
});
