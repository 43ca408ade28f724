// Two nodes on one PostgreSQL schema, each with its own copy of the root key file: node A rotates the root; node B,
// still holding the old root key, answers UNAVAILABLE (retryable, saying the root was rotated) for a version
// re-wrapped under the new root and for anything it would wrap — never a generic failure — until it is given the new
// root.key and restarted. Skipped loudly when no PostgreSQL server is reachable.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { LocalKms, LOCAL_ADMIN } from '../../src/service/local-kms.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';
import { utf8 } from './helpers.js';

describePostgres('root rotation on two PostgreSQL nodes')('root rotation with two nodes on PostgreSQL', () => {
  let dir: string;
  const schema = testSchemaName();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-rotate-pg-'));
  });
  afterAll(async () => {
    await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });
  const open = (node: string): Promise<LocalKms> =>
    LocalKms.open({
      dataDir: join(dir, node),
      store: { kind: 'postgres', url: PG_URL, schema, poolSize: 4 },
      maintenanceIntervalMs: 0,
      logger: { error: () => undefined },
    });

  it('a node without the new root answers UNAVAILABLE, and works once given the new root.key', async () => {
    const a = await open('a');
    await mkdir(join(dir, 'b'), { mode: 0o700 });
    await copyFile(join(dir, 'a', 'root.key'), join(dir, 'b', 'root.key'));
    let b = await open('b');
    try {
      await b.createKey({}); // B has checked the store's root moments before the rotation
      const { keyId } = (await a.createKey({})).keyMetadata;
      const { ciphertextBlob } = await a.encrypt({ keyId, plaintext: utf8('shared') });
      await a.rotateRoot(LOCAL_ADMIN);
      // B never used the key: it must unwrap the version, re-wrapped under a root it does not hold.
      await expectKmsError(b.decrypt({ ciphertextBlob }), 'UNAVAILABLE');
      await expectKmsError(b.createKey({}), 'UNAVAILABLE');
      await b.close();
      await copyFile(join(dir, 'a', 'root.key'), join(dir, 'b', 'root.key'));
      b = await open('b');
      expect((await b.decrypt({ ciphertextBlob })).plaintext).toEqual(utf8('shared'));
      const other = (await b.createKey({})).keyMetadata.keyId;
      await a.encrypt({ keyId: other, plaintext: utf8('from a') });
      expect((await b.verifyAuditChain({})).ok).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
