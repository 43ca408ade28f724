// The hard case of issue 12: a row put back from an earlier moment carries a valid MAC, so it is used — but the
// audit log, whose records commit with each change, shows it to be older than its last change, and
// VerifyAuditChain reports it (staleRows). On SQLite and PostgreSQL; no false alarm after an ordinary workout.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { join } from 'node:path';
import { openTestKms, utf8, type TestKms } from '../service/helpers.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';

/** Copies a row out and back, as someone restoring part of a backup would (`?` placeholders). */
interface RawDb {
  all(statement: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  run(statement: string, ...params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

interface Backend {
  readonly name: string;
  open(): Promise<{ t: TestKms; raw: RawDb; cleanup(): Promise<void> }>;
}

const sqlite: Backend = {
  name: 'SQLite',
  async open() {
    const t = await openTestKms({ config: { keyCacheTtlMs: 0, minPendingWindowDays: 1 } });
    const db = new (sqliteDriver())(join(t.dir, 'custos.db'));
    const raw: RawDb = {
      all: async (statement, ...params) => db.prepare(statement).all(...params) as Record<string, unknown>[],
      run: async (statement, ...params) => {
        db.prepare(statement).run(...params);
      },
      close: async () => {
        db.close();
      },
    };
    return { t, raw, cleanup: () => t.cleanup() };
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  async open() {
    const schema = testSchemaName();
    const t = await openTestKms({
      store: { kind: 'postgres', url: PG_URL, schema, poolSize: 4 },
      config: { keyCacheTtlMs: 0, minPendingWindowDays: 1 },
    });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`set search_path to "${schema}"`);
    const numbered = (s: string): string => {
      let n = 0;
      return s.replace(/\?/g, () => `$${String(++n)}`);
    };
    const raw: RawDb = {
      all: async (statement, ...params) => (await client.query(numbered(statement), params)).rows,
      run: async (statement, ...params) => {
        await client.query(numbered(statement), params);
      },
      close: () => client.end(),
    };
    return {
      t,
      raw,
      async cleanup() {
        await t.cleanup();
        await dropSchema(schema);
      },
    };
  },
};

/** Puts `snapshot` (a whole row read earlier) back over the row with the same `id` column value. */
async function restore(raw: RawDb, table: string, idColumn: string, snapshot: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(snapshot).filter((c) => c !== idColumn);
  await raw.run(
    `update ${table} set ${columns.map((c) => `${c} = ?`).join(', ')} where ${idColumn} = ?`,
    ...columns.map((c) => snapshot[c]),
    snapshot[idColumn],
  );
}

for (const [backend, describeIt] of [
  [sqlite, describe],
  [postgres, describePostgres('replayed rows on PostgreSQL')],
] as const) {
  describeIt(`a row put back from an earlier moment (${backend.name})`, () => {
    let opened: Awaited<ReturnType<Backend['open']>>;
    beforeEach(async () => {
      opened = await backend.open();
    });
    afterEach(async () => {
      await opened.raw.close();
      await opened.cleanup();
    });

    it('an ordinary life of keys and credentials leaves the rows and the log in agreement', async () => {
      const { kms } = opened.t;
      const { keyId } = (await kms.createKey({ description: 'workout' })).keyMetadata;
      await kms.disableKey({ keyId });
      await kms.enableKey({ keyId });
      await kms.enableKey({ keyId }); // a no-op change is audited too
      await kms.rotateKeyOnDemand({ keyId });
      await kms.updateKeyDescription({ keyId, description: 'renamed' });
      await kms.tagResource({ keyId, tags: [{ tagKey: 'a', tagValue: 'b' }] });
      await kms.createAlias({ aliasName: 'alias/workout', targetKeyId: keyId });
      await kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7 });
      await kms.cancelKeyDeletion({ keyId });
      const limited = (await kms.createKey({ usageConstraints: { maxUses: 3 } })).keyMetadata.keyId;
      await kms.encrypt({ keyId: limited, plaintext: utf8('x') });
      const token = await kms.createToken({ roles: ['key-user'] });
      await kms.revokeToken({ tokenId: token.tokenId });
      const accessKey = await kms.createAccessKey({ roles: ['key-user'] });
      await kms.revokeAccessKey({ accessKeyId: accessKey.accessKeyId });
      const result = await kms.verifyAuditChain({});
      expect(result).toMatchObject({ ok: true });
      expect(result.staleRows).toBeUndefined();
    });

    it("a disabled key's earlier Enabled row, put back, works — and verify names it", async () => {
      const { kms } = opened.t;
      const { keyId } = (await kms.createKey({})).keyMetadata;
      const [before] = await opened.raw.all('select * from keys where id = ?', keyId);
      opened.t.clock.advanceMs(1000);
      await kms.disableKey({ keyId });
      await restore(opened.raw, 'keys', 'id', before!);
      // The MAC cannot tell: the row is authentic, only old.
      await kms.encrypt({ keyId, plaintext: utf8('replayed') });
      const result = await kms.verifyAuditChain({});
      expect(result.ok).toBe(false);
      expect(result.brokenAt).toBeUndefined();
      expect(result.staleRows).toEqual([{ table: 'keys', row: keyId, seq: expect.any(Number) as number }]);
    });

    it("a revoked token's and access key's earlier rows, put back, are named by verify", async () => {
      const { kms } = opened.t;
      const token = await kms.createToken({ roles: ['key-user'] });
      const accessKey = await kms.createAccessKey({ roles: ['key-user'] });
      const [tokenRow] = await opened.raw.all('select * from api_tokens where id = ?', token.tokenId);
      const [accessKeyRow] = await opened.raw.all('select * from access_keys where id = ?', accessKey.accessKeyId);
      await kms.revokeToken({ tokenId: token.tokenId });
      await kms.revokeAccessKey({ accessKeyId: accessKey.accessKeyId });
      await restore(opened.raw, 'api_tokens', 'id', tokenRow!);
      await restore(opened.raw, 'access_keys', 'id', accessKeyRow!);
      const result = await kms.verifyAuditChain({});
      expect(result.ok).toBe(false);
      expect(result.staleRows).toEqual(
        expect.arrayContaining([
          { table: 'api_tokens', row: token.tokenId, seq: expect.any(Number) as number },
          { table: 'access_keys', row: accessKey.accessKeyId, seq: expect.any(Number) as number },
        ]),
      );
    });
  });
}
