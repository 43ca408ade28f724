// Several LocalKms on one PostgreSQL schema (each its own pool: separate nodes): key caches invalidated across
// nodes by NOTIFY, maintenance run once across the cluster, and connection loss seen as UNAVAILABLE. Skipped
// loudly when no server is reachable.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KmsError } from '@custos/contract';
import { afterEach, expect, it } from 'vitest';
import { LocalKms } from '../../src/index.js';
import type { LocalKmsOptions } from '../../src/service/local-kms.js';
import { isUnavailable } from '../../src/store/index.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName, withClient } from '../store/pg.js';
import { eventually, TestClock, utf8 } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const describePg = describePostgres('multi-node (PostgreSQL) tests');

/** Long enough that only a notification can explain a node seeing another's change within the test. */
const LONG_TTL = { keyCacheTtlMs: 60_000, minPendingWindowDays: 1 };

interface Cluster {
  readonly clock: TestClock;
  readonly schema: string;
  node(applicationName?: string): Promise<LocalKms>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function cluster(more: Partial<LocalKmsOptions> = {}): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-multinode-'));
  const schema = testSchemaName();
  const clock = new TestClock();
  const nodes: LocalKms[] = [];
  cleanups.push(async () => {
    for (const node of nodes) await node.close();
    await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });
  return {
    clock,
    schema,
    async node(applicationName) {
      const url = applicationName
        ? `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${applicationName}`
        : PG_URL;
      const node = await LocalKms.open({
        dataDir: dir, // the root key file, shared; the store is the schema
        store: { kind: 'postgres', url, schema, poolSize: 4 },
        now: clock.now,
        maintenanceIntervalMs: 0,
        config: LONG_TTL,
        logger: { error: () => undefined },
        ...more,
      });
      nodes.push(node);
      return node;
    },
  };
}

const versionOf = (blob: Uint8Array): number => Buffer.from(blob).readUInt32BE(17);

describePg('many nodes on one PostgreSQL', () => {
  it('a token revoked on node A stops working on node B at once, though B had it cached', async () => {
    const c = await cluster();
    const a = await c.node();
    const b = await c.node();
    const { token, tokenId } = await a.createToken({ roles: ['key-user'] });
    expect((await b.authenticate(token)).roles).toEqual(['key-user']);
    expect((await b.authenticate(token)).roles).toEqual(['key-user']); // now from B's cache
    await a.revokeToken({ tokenId });
    await eventually(async () => {
      await expectKmsError(b.authenticate(token), 'UNAUTHENTICATED');
    }, 1000);
  });

  it('an access key revoked on node A is refused by node B at once, though B had its lookup cached', async () => {
    const c = await cluster();
    const a = await c.node();
    const b = await c.node();
    const { accessKeyId } = await a.createAccessKey({ roles: ['key-user'] });
    const cached = await b.authenticateAccessKey(accessKeyId);
    expect(await b.authenticateAccessKey(accessKeyId)).toBe(cached); // from B's cache
    await a.revokeAccessKey({ accessKeyId });
    await eventually(async () => {
      await expectKmsError(b.authenticateAccessKey(accessKeyId), 'UNAUTHENTICATED');
    }, 1000);
  });

  it("listing tokens and access keys on node A leaves node B's credential caches as they were", async () => {
    const c = await cluster();
    const a = await c.node();
    const b = await c.node();
    const { accessKeyId } = await a.createAccessKey({ roles: ['key-user'] });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the notice of that creation
    const cached = await b.authenticateAccessKey(accessKeyId);
    expect(await b.authenticateAccessKey(accessKeyId)).toBe(cached);
    await a.listTokens({});
    await a.listAccessKeys({});
    await new Promise((resolve) => setTimeout(resolve, 300)); // a notice, had a read sent one, would be here by now
    expect(await b.authenticateAccessKey(accessKeyId)).toBe(cached); // still B's cached lookup
  });

  it("a token revoked on node A reaches node B without emptying B's key cache", async () => {
    const c = await cluster();
    const a = await c.node();
    const b = await c.node();
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) keys.push((await a.createKey({})).keyMetadata.keyId);
    const { token, tokenId } = await a.createToken({ roles: ['key-user'] });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the notices of those creations
    for (const keyId of keys) await b.encrypt({ keyId, plaintext: utf8('warm B') });
    await b.authenticate(token);
    const held = b.keyCacheStatus().keys;
    expect(held).toBeGreaterThanOrEqual(3);
    await a.revokeToken({ tokenId });
    await eventually(async () => {
      await expectKmsError(b.authenticate(token), 'UNAUTHENTICATED'); // B heard the notice
    }, 1000);
    expect(b.keyCacheStatus().keys).toBe(held);
  });

  it('a key disabled on node A is refused by node B at once, though B had it cached', async () => {
    const c = await cluster();
    const a = await c.node();
    const b = await c.node();
    const { keyMetadata } = await a.createKey({});
    const keyId = keyMetadata.keyId;
    await b.encrypt({ keyId, plaintext: utf8('warm the cache') });
    await b.encrypt({ keyId, plaintext: utf8('from the cache') });
    await a.disableKey({ keyId });
    await eventually(async () => {
      await expectKmsError(b.encrypt({ keyId, plaintext: utf8('x') }), 'KEY_DISABLED');
    });
    await a.enableKey({ keyId });
    await eventually(async () => {
      await b.encrypt({ keyId, plaintext: utf8('x') });
    });
  });

  it('a rotation on node A is used by node B’s next encryption; an alias moved on A is followed by B', async () => {
    const c = await cluster();
    const a = await c.node();
    const b = await c.node();
    const first = (await a.createKey({})).keyMetadata.keyId;
    const second = (await a.createKey({})).keyMetadata.keyId;
    expect(versionOf((await b.encrypt({ keyId: first, plaintext: utf8('v1') })).ciphertextBlob)).toBe(1);
    await a.rotateKeyOnDemand({ keyId: first });
    await eventually(async () => {
      expect(versionOf((await b.encrypt({ keyId: first, plaintext: utf8('v2') })).ciphertextBlob)).toBe(2);
    });

    await a.createAlias({ aliasName: 'alias/moving', targetKeyId: first });
    expect((await b.encrypt({ keyId: 'alias/moving', plaintext: utf8('to first') })).keyId).toContain(first);
    await a.updateAlias({ aliasName: 'alias/moving', targetKeyId: second });
    await eventually(async () => {
      expect((await b.encrypt({ keyId: 'alias/moving', plaintext: utf8('to second') })).keyId).toContain(second);
    });
  });

  it('maintenance on two nodes at once destroys each due key exactly once', async () => {
    const c = await cluster();
    const a = await c.node();
    const b = await c.node();
    const keyIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { keyMetadata } = await a.createKey({});
      await a.scheduleKeyDeletion({ keyId: keyMetadata.keyId, pendingWindowInDays: 1 });
      keyIds.push(keyMetadata.keyId);
    }
    c.clock.advanceDays(2);
    const reports = await Promise.all([a.runMaintenance(), b.runMaintenance(), a.runMaintenance(), b.runMaintenance()]);
    expect(reports.reduce((sum, report) => sum + report.destroyed, 0)).toBe(keyIds.length);
    for (const keyId of keyIds) {
      expect((await b.describeKey({ keyId })).keyMetadata.keyState).toBe('Destroyed');
      const { records } = await a.listAuditRecords({ keyId, limit: 1000 });
      expect(records.filter((r) => r.operation === 'DestroyKey' && r.outcome === 'allowed')).toHaveLength(1);
    }
    // Nothing is left to do.
    expect((await b.runMaintenance()).destroyed).toBe(0);
  });

  it('connections killed by the server: calls fail as UNAVAILABLE (never INTERNAL) or succeed, the pool recovers, notifications resume', async () => {
    const c = await cluster();
    const name = `custos_test_kill_${randomBytes(4).toString('hex')}`;
    const a = await c.node();
    const b = await c.node(name);
    const { keyMetadata } = await a.createKey({});
    const keyId = keyMetadata.keyId;
    await b.encrypt({ keyId, plaintext: utf8('warm') });
    await b.listKeys({}); // a pooled connection is idle now

    const killed = await withClient(
      async (client) =>
        (
          await client.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
            name,
          ])
        ).rowCount,
    );
    expect(killed).toBeGreaterThanOrEqual(2); // the pool's connection(s) and the LISTEN connection

    try {
      await b.listKeys({});
    } catch (err) {
      expect(err).toBeInstanceOf(KmsError);
      expect((err as KmsError).code).toBe('UNAVAILABLE');
    }
    await eventually(async () => {
      await b.listKeys({});
    });

    // The LISTEN connection came back (with a full cache clear), so B still follows A.
    await eventually(async () => {
      await a.disableKey({ keyId });
      await expectKmsError(b.encrypt({ keyId, plaintext: utf8('x') }), 'KEY_DISABLED');
    }, 5000);
  });

  it('a database that does not answer: opening fails with a clear connection error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-multinode-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const failure = await LocalKms.open({
      dataDir: dir,
      store: { kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test' },
      maintenanceIntervalMs: 0,
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message + JSON.stringify(failure)).toMatch(/ECONNREFUSED/);
    expect(isUnavailable(failure)).toBe(true);
  });
});

it('isUnavailable: connection failures yes, query errors no', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  expect(isUnavailable(coded('ECONNREFUSED'))).toBe(true);
  expect(isUnavailable(coded('ECONNRESET'))).toBe(true);
  expect(isUnavailable(coded('57P01', 'terminating connection due to administrator command'))).toBe(true);
  expect(isUnavailable(coded('08006'))).toBe(true);
  expect(isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(isUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  expect(isUnavailable(new AggregateError([coded('ECONNREFUSED')]))).toBe(true);
  expect(isUnavailable(new Error('wrapped', { cause: coded('ECONNRESET') }))).toBe(true);
  expect(isUnavailable(coded('23505', 'duplicate key'))).toBe(false);
  expect(isUnavailable(coded('42P01', 'relation does not exist'))).toBe(false);
  expect(isUnavailable(new Error('boom'))).toBe(false);
  expect(isUnavailable(undefined)).toBe(false);
});
