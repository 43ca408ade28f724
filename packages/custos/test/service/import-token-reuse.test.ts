// Import tokens are single-use (docs/errors.md, INVALID_IMPORT_TOKEN): the token is spent in the import's own
// transaction, a second use fails, a failed import spends nothing, and of two imports racing with one token exactly one
// wins. On SQLite and on PostgreSQL (two nodes on one schema racing), PostgreSQL skipped loudly when unreachable.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalKms, wrapForImport, type Kms } from '../../src/index.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';
import { openTestKms } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

/** Where the tests run: a node that creates keys and tokens, and the node the racing second import goes to. */
interface Under {
  readonly kms: LocalKms;
  readonly other: LocalKms;
  cleanup(): Promise<void>;
}

async function params(kms: Kms, keyId: string) {
  return kms.getParametersForImport({ keyId, wrappingAlgorithm: 'RSAES_OAEP_SHA_256', wrappingKeySpec: 'RSA_2048' });
}

function describeSingleUse(
  name: string,
  open: () => Promise<Under>,
  describeFn: ReturnType<typeof describePostgres> = describe,
): void {
  describeFn(`import tokens are single-use (${name})`, () => {
    let u: Under;
    beforeAll(async () => {
      u = await open();
    });
    afterAll(async () => u?.cleanup());

    const externalKey = async () => (await u.kms.createKey({ origin: 'EXTERNAL' })).keyMetadata.keyId;

    it('a token imports once; its second use fails with INVALID_IMPORT_TOKEN, audited as failed', async () => {
      const keyId = await externalKey();
      const material = randomBytes(32);
      const { importToken, publicKey } = await params(u.kms, keyId);
      const encryptedKeyMaterial = wrapForImport('RSAES_OAEP_SHA_256', publicKey, material);
      await u.kms.importKeyMaterial({ keyId, importToken, encryptedKeyMaterial });
      // Same token, same material (what let one token import three times before): refused.
      await expectKmsError(
        u.kms.importKeyMaterial(
          { keyId, importToken, encryptedKeyMaterial },
          { principal: 'reuser', roles: ['admin'] },
        ),
        'INVALID_IMPORT_TOKEN',
      );
      const { records } = await u.kms.listAuditRecords({ keyId, limit: 100 });
      expect(records.filter((r) => r.principal === 'reuser')).toEqual([
        expect.objectContaining({
          operation: 'ImportKeyMaterial',
          outcome: 'failed',
          errorCode: 'INVALID_IMPORT_TOKEN',
        }),
      ]);
      // A fresh token re-imports the same material (AWS's re-import), and is spent in turn.
      const again = await params(u.kms, keyId);
      const rewrapped = wrapForImport('RSAES_OAEP_SHA_256', again.publicKey, material);
      await u.kms.importKeyMaterial({ keyId, importToken: again.importToken, encryptedKeyMaterial: rewrapped });
      await expectKmsError(
        u.kms.importKeyMaterial({ keyId, importToken: again.importToken, encryptedKeyMaterial: rewrapped }),
        'INVALID_IMPORT_TOKEN',
      );
      expect((await u.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Enabled');
    });

    it('a token spent on one key cannot import into the same key after its material is deleted', async () => {
      const keyId = await externalKey();
      const { importToken, publicKey } = await params(u.kms, keyId);
      const encryptedKeyMaterial = wrapForImport('RSAES_OAEP_SHA_256', publicKey, randomBytes(32));
      await u.kms.importKeyMaterial({ keyId, importToken, encryptedKeyMaterial });
      await u.kms.deleteImportedKeyMaterial({ keyId });
      await expectKmsError(
        u.kms.importKeyMaterial({ keyId, importToken, encryptedKeyMaterial }),
        'INVALID_IMPORT_TOKEN',
      );
      expect((await u.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('PendingImport');
    });

    it('a failed import (wrong material) does not spend the token', async () => {
      const keyId = await externalKey();
      const { importToken, publicKey } = await params(u.kms, keyId);
      await expectKmsError(
        u.kms.importKeyMaterial({
          keyId,
          importToken,
          encryptedKeyMaterial: wrapForImport('RSAES_OAEP_SHA_256', publicKey, randomBytes(31)),
        }),
        'INVALID_KEY_MATERIAL',
      );
      const encryptedKeyMaterial = wrapForImport('RSAES_OAEP_SHA_256', publicKey, randomBytes(32));
      await u.kms.importKeyMaterial({ keyId, importToken, encryptedKeyMaterial });
      expect((await u.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Enabled');
    });

    it('two imports racing with one token: exactly one wins, the other fails with INVALID_IMPORT_TOKEN', async () => {
      for (let round = 0; round < 5; round++) {
        const keyId = await externalKey();
        const { importToken, publicKey } = await params(u.kms, keyId);
        const encryptedKeyMaterial = wrapForImport('RSAES_OAEP_SHA_256', publicKey, randomBytes(32));
        const results = await Promise.allSettled([
          u.kms.importKeyMaterial({ keyId, importToken, encryptedKeyMaterial }),
          u.other.importKeyMaterial({ keyId, importToken, encryptedKeyMaterial }),
          u.kms.importKeyMaterial({ keyId, importToken, encryptedKeyMaterial }),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code?: unknown }] : []));
        expect(won, `round ${round}`).toHaveLength(1);
        expect(lost.map((e) => e.code)).toEqual(['INVALID_IMPORT_TOKEN', 'INVALID_IMPORT_TOKEN']);
        expect((await u.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Enabled');
      }
    });
  });
}

// SQLite: one process owns the data directory, so the race runs within one LocalKms (its store serialises
// transactions; the token check must still be inside the import's transaction for one to lose).
describeSingleUse('SQLite', async () => {
  const t = await openTestKms();
  return { kms: t.kms, other: t.kms, cleanup: () => t.cleanup() };
});

// PostgreSQL: two nodes (two pools) on one schema race with one token.
describeSingleUse(
  'PostgreSQL, two nodes',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-import-pg-'));
    const schema = testSchemaName();
    const options = {
      dataDir: dir,
      store: { kind: 'postgres', url: PG_URL, schema } as const,
      maintenanceIntervalMs: 0,
      logger: { error: () => undefined },
    };
    const kms = await LocalKms.open(options);
    const other = await LocalKms.open(options);
    return {
      kms,
      other,
      async cleanup() {
        await kms.close();
        await other.close();
        await dropSchema(schema);
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  describePostgres('import token single-use tests on PostgreSQL'),
);
