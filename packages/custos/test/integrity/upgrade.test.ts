// Migration 005 from what the 0.1.0 release wrote (fixtures/release-0.1.0, made by that release's code; see its
// make.mjs): on SQLite and PostgreSQL, the first start of this version upgrades the store in place — every row gets
// its MAC, tokens their keyed hash, once and audited — and everything the old release made keeps working through
// the real server: keys, states, ciphertexts, signatures, use counts, the bearer token and the AWS access key.
import { createHash, createVerify } from 'node:crypto';
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { startServer, type RunningServer } from '../../src/api/server.js';
import type { StoreOptions } from '../../src/store/index.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/release-0.1.0/', import.meta.url));
const FIXTURE_SCHEMA = 'custos_release_010';

interface Made {
  keys: Record<'aes' | 'limited' | 'disabled' | 'ec' | 'hmac' | 'exportable' | 'pending', string>;
  ciphertext: string;
  signature: string;
  token: { id: string; token: string };
  accessKey: { accessKeyId: string; secretAccessKey: string };
}
type Manifest = Record<'sqlite' | 'postgres', Made>;

/** Rows of a table, read behind the server's back. */
type Query = (statement: string) => Promise<Record<string, unknown>[]>;

interface Backend {
  readonly name: 'sqlite' | 'postgres';
  /** Puts the old release's store in place; returns the store options and a raw query function. */
  prepare(dataDir: string): Promise<{ store?: StoreOptions; query: Query; close(): Promise<void> }>;
  cleanup(): Promise<void>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async prepare(dataDir) {
    await cp(join(FIXTURE, 'data', 'custos.db'), join(dataDir, 'custos.db'));
    const query: Query = async (statement) => {
      const db = new (sqliteDriver())(join(dataDir, 'custos.db'), { readonly: true });
      try {
        return db.prepare(statement).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    };
    return { query, close: async () => undefined };
  },
  cleanup: async () => undefined,
};

function postgres(): Backend {
  const schema = testSchemaName();
  return {
    name: 'postgres',
    async prepare() {
      const dump = await readFile(join(FIXTURE, 'postgres.sql'), 'utf8');
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(dump.replaceAll(FIXTURE_SCHEMA, schema));
      await client.query(`set search_path to "${schema}"`);
      return {
        store: { kind: 'postgres', url: PG_URL, schema, poolSize: 4 },
        query: async (statement) => (await client.query(statement)).rows as Record<string, unknown>[],
        close: () => client.end(),
      };
    },
    cleanup: () => dropSchema(schema),
  };
}

const manifest = JSON.parse(await readFile(join(FIXTURE, 'manifest.json'), 'utf8')) as Manifest;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

for (const [backend, describeIt] of [
  [sqlite, describe],
  [postgres(), describePostgres('the upgrade of a 0.1.0 PostgreSQL store')],
] as const) {
  describeIt(`upgrading a store made by 0.1.0 (${backend.name})`, () => {
    const made = manifest[backend.name];
    let dataDir: string;
    let server: RunningServer;
    let admin: RemoteKms;
    let raw: Awaited<ReturnType<Backend['prepare']>>;
    let tokenHashBefore: unknown;

    const start = async (): Promise<RunningServer> =>
      startServer({
        dataDir,
        listen: '127.0.0.1:0',
        logger: false,
        kmsOptions: {
          maintenanceIntervalMs: 0,
          config: { keyCacheTtlMs: 0 },
          ...(raw.store ? { store: raw.store } : {}),
        },
      });

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'custos-upgrade-'));
      await cp(join(FIXTURE, 'data', 'root.key'), join(dataDir, 'root.key'));
      await chmod(join(dataDir, 'root.key'), 0o600); // git keeps 0644
      raw = await backend.prepare(dataDir);
      tokenHashBefore = (await raw.query(`select token_hash from api_tokens where id = '${made.token.id}'`))[0]
        ?.token_hash;
      server = await start();
      // The old store had tokens: no admin token is made. The fixture's access key is an admin's.
      expect(server.adminToken).toBeUndefined();
      admin = new RemoteKms({ endpoint: server.url, token: made.token.token });
    });
    afterAll(async () => {
      await server.close();
      await raw.close();
      await backend.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('gives every row its MAC and every token its keyed hash, once, and says so in the audit log', async () => {
      for (const table of ['keys', 'key_versions', 'aliases', 'api_tokens', 'access_keys', 'import_tokens']) {
        const rows = await raw.query(`select row_mac from ${table}`);
        expect(rows.length, table).toBeGreaterThan(0);
        expect(
          rows.every((r) => typeof r.row_mac === 'string' && r.row_mac.startsWith('m1.')),
          table,
        ).toBe(true);
      }
      expect(tokenHashBefore).toBe(createHash('sha256').update(made.token.token).digest('hex'));
      const [{ token_hash: after } = {}] = await raw.query(
        `select token_hash from api_tokens where id = '${made.token.id}'`,
      );
      expect(after).toMatch(/^[0-9a-f]{64}$/);
      expect(after).not.toBe(tokenHashBefore);
      const established = await raw.query(
        `select outcome from audit_log where operation = 'EstablishRowIntegrity' order by seq`,
      );
      expect(established).toEqual([{ outcome: 'allowed' }]);
      expect((await raw.query(`select value from meta where key = 'row_integrity'`))[0]).toEqual({ value: 'v1' });
    });

    it('keeps what 0.1.0 made working: the token, keys and their states, ciphertexts, signatures, use counts', async () => {
      // The bearer token made by 0.1.0 (a key-user) still authenticates, with its role and no more.
      const { plaintext } = await admin.decrypt({ ciphertextBlob: Buffer.from(made.ciphertext, 'base64') });
      expect(new TextDecoder().decode(plaintext)).toBe('made by 0.1.0');
      await expectKmsError(admin.createToken({ roles: ['admin'] }), 'ACCESS_DENIED');
      expect((await admin.describeKey({ keyId: 'alias/fixture' })).keyMetadata.keyId).toBe(made.keys.aes);
      expect((await admin.describeKey({ keyId: made.keys.disabled })).keyMetadata.keyState).toBe('Disabled');
      expect((await admin.describeKey({ keyId: made.keys.pending })).keyMetadata.keyState).toBe('PendingImport');
      await expectKmsError(admin.encrypt({ keyId: made.keys.disabled, plaintext: utf8('x') }), 'KEY_DISABLED');
      const { publicKey } = await admin.getPublicKey({ keyId: made.keys.ec });
      const verifier = createVerify('sha256').update('signed by 0.1.0');
      expect(
        verifier.verify(
          { key: Buffer.from(publicKey), format: 'der', type: 'spki' },
          Buffer.from(made.signature, 'base64'),
        ),
      ).toBe(true);
      const mac = await admin.generateMac({ keyId: made.keys.hmac, message: utf8('m'), macAlgorithm: 'HMAC_SHA_256' });
      expect(mac.mac.length).toBe(32);
      // 0.1.0 used the limited key once: four uses are left, then the limit holds.
      for (let i = 0; i < 4; i++) await admin.encrypt({ keyId: made.keys.limited, plaintext: utf8('use') });
      await expectKmsError(
        admin.encrypt({ keyId: made.keys.limited, plaintext: utf8('one too many') }),
        'USAGE_LIMIT_EXCEEDED',
      );
    });

    it("keeps 0.1.0's AWS access key working through the AWS SDK", async () => {
      const client = new KMSClient({
        endpoint: server.url,
        region: 'us-east-1',
        credentials: made.accessKey,
        maxAttempts: 1,
      });
      try {
        const out = await client.send(new DescribeKeyCommand({ KeyId: made.keys.aes }));
        expect(out.KeyMetadata?.KeyId).toBe(made.keys.aes);
      } finally {
        client.destroy();
      }
    });

    it('establishes only once: a restart writes no second record and the rows keep their MACs', async () => {
      const before = await raw.query(`select id, row_mac from keys order by id`);
      await server.close();
      server = await start();
      admin = new RemoteKms({ endpoint: server.url, token: made.token.token });
      expect(await raw.query(`select id, row_mac from keys order by id`)).toEqual(before);
      const established = await raw.query(`select seq from audit_log where operation = 'EstablishRowIntegrity'`);
      expect(established).toHaveLength(1);
      expect((await admin.describeKey({ keyId: made.keys.aes })).keyMetadata.keyState).toBe('Enabled');
    });
  });
}
