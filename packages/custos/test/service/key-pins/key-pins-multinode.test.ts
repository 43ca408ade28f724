// Key PIN counters across nodes: two LocalKms on one PostgreSQL schema (each its own pool). Concurrent wrong PINs
// sent to both are each counted, once, in the store: no burst gets more comparisons than the retry limit, the block
// holds on both nodes, and an unblock on one frees the key on the other. Skipped loudly without a server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Caller } from '@custos/contract';
import { LocalKms } from '../../../src/index.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../../store/pg.js';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { utf8 } from '../helpers.js';

const describePg = describePostgres('key PIN counters across nodes (PostgreSQL)');
const PIN = '482916';
const USER: Caller = { principal: 'app', roles: ['key-user'] };

describePg('key PIN counters across nodes', () => {
  let dir: string;
  const schema = testSchemaName();
  let a: LocalKms;
  let b: LocalKms;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-pins-'));
    const open = () =>
      LocalKms.open({
        dataDir: dir,
        store: { kind: 'postgres', url: PG_URL, schema, poolSize: 4 },
        maintenanceIntervalMs: 0,
        logger: { error: () => undefined },
      });
    a = await open();
    b = await open();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });

  const encrypt = (node: LocalKms, keyId: string, keyPin: string) =>
    node.encrypt({ keyId, plaintext: utf8('x') }, { ...USER, keyPin });

  it('counts every concurrent wrong PIN on both nodes, blocks on both, and an unblock on one frees both', async () => {
    const retryLimit = 5;
    const created = await a.createKey({
      pinPolicy: { minLength: 6, maxLength: 6, format: 'numeric', retryLimit },
      pin: PIN,
    });
    const keyId = created.keyMetadata.keyId;
    await encrypt(a, keyId, PIN);
    await encrypt(b, keyId, PIN);

    const results = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) => encrypt(i % 2 === 0 ? a : b, keyId, String(100000 + i))),
    );
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
    expect(
      codes.every((c) => c === 'KEY_PIN_INVALID' || c === 'KEY_PIN_BLOCKED'),
      codes.join(),
    ).toBe(true);
    // At most retryLimit comparisons, the last of which blocks: never more than retryLimit - 1 "tries left" answers.
    expect(codes.filter((c) => c === 'KEY_PIN_INVALID').length).toBeLessThanOrEqual(retryLimit - 1);
    await expectKmsError(encrypt(a, keyId, PIN), 'KEY_PIN_BLOCKED');
    await expectKmsError(encrypt(b, keyId, PIN), 'KEY_PIN_BLOCKED');

    await a.unblockKeyPin({ keyId }, { principal: 'root', roles: ['admin'] });
    await encrypt(b, keyId, PIN);
    await expectKmsError(encrypt(b, keyId, '111111'), 'KEY_PIN_INVALID');
    await expect(encrypt(a, keyId, '111112')).rejects.toMatchObject({ message: /3 tries left/ });

    // A PIN changed on one node: the other node's remembered success for the old PIN is void at once.
    await encrypt(b, keyId, PIN);
    await a.unblockKeyPin({ keyId, puk: created.puk!, newPin: '730519' }, USER);
    await expectKmsError(encrypt(b, keyId, PIN), 'KEY_PIN_INVALID');
    await encrypt(b, keyId, '730519');
  });
});
