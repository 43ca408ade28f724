// Usage telemetry on PostgreSQL with two nodes (two LocalKms on one schema, as two servers): each adds its batches
// to the same rows (count = count + n), so the counts add up; a node's counts reach the other within its flush
// interval, without a restart; the minimum decryption version set on one node holds on the other.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalKmsOptions } from '../../../src/index.js';
import { LocalKms } from '../../../src/service/local-kms.js';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../../store/pg.js';
import { utf8 } from '../helpers.js';

const plaintext = utf8('two nodes');

const describePg = describePostgres('key usage on PostgreSQL');

describePg('key usage on PostgreSQL with two nodes', () => {
  let dir: string;
  let schema: string;
  let a: LocalKms;
  let b: LocalKms;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-usage-pg-'));
    schema = testSchemaName();
    const options: LocalKmsOptions = {
      dataDir: dir,
      store: { kind: 'postgres', url: PG_URL, schema, poolSize: 2 },
      maintenanceIntervalMs: 0,
      config: { minPendingWindowDays: 1, usageFlushIntervalMs: 50, keyCacheTtlMs: 0 },
      logger: { error: () => undefined },
    };
    a = await LocalKms.open(options);
    b = await LocalKms.open(options);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });

  it('adds both nodes’ uses of one key version and operation, each visible to the other after a flush', async () => {
    const keyId = (await a.createKey({})).keyMetadata.keyId;
    await Promise.all([
      ...Array.from({ length: 5 }, () => a.encrypt({ keyId, plaintext })),
      ...Array.from({ length: 7 }, () => b.encrypt({ keyId, plaintext })),
    ]);
    await expect
      .poll(async () => (await a.getKeyUsage({ keyId })).usage.map((u) => [u.operation, u.count]), { timeout: 5_000 })
      .toEqual([['Encrypt', 12]]);
    await expect.poll(async () => (await b.getKeyUsage({ keyId })).usage[0]?.count, { timeout: 5_000 }).toBe(12);
    // A node refuses to delete a key the other node used (once flushed).
    await expectKmsError(b.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7 }), 'KEY_RECENTLY_USED');
  });

  it('a minimum decryption version set on one node is enforced by the other', async () => {
    const keyId = (await a.createKey({})).keyMetadata.keyId;
    const old = (await b.encrypt({ keyId, plaintext })).ciphertextBlob;
    await a.rotateKeyOnDemand({ keyId });
    await a.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 2 });
    await expectKmsError(b.decrypt({ ciphertextBlob: old }), 'KEY_VERSION_BELOW_MINIMUM');
  });
});
