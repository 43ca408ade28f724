// Storage is untrusted: each attack of issue 12 by someone who can write the database but holds neither the root
// key nor any credential, against a real server (HTTP, RemoteKms, the AWS SDK) on SQLite and on PostgreSQL. Each
// succeeded before row MACs; now the forged row is never used: INTERNAL, the log names the row, and the audit log
// records the integrity failure.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { startServer, type RunningServer } from '../../src/api/server.js';
import type { StoreOptions } from '../../src/store/index.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { expectAws } from '../aws/helpers.js';
import { KMSClient } from '@aws-sdk/client-kms';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';

/** Raw SQL on the server's database, as an attacker with database access runs it (`?` placeholders). */
interface Tamper {
  run(statement: string, ...params: unknown[]): Promise<void>;
  one<T>(statement: string, ...params: unknown[]): Promise<T>;
  close(): Promise<void>;
}

interface Backend {
  readonly name: string;
  store(dataDir: string): Promise<StoreOptions | undefined>;
  tamper(dataDir: string): Promise<Tamper>;
  cleanup(): Promise<void>;
}

const sqlite: Backend = {
  name: 'SQLite',
  store: async () => undefined,
  async tamper(dataDir) {
    const db = new (sqliteDriver())(join(dataDir, 'custos.db'));
    return {
      run: async (statement, ...params) => void db.prepare(statement).run(...params),
      one: async <T>(statement: string, ...params: unknown[]) => db.prepare(statement).get(...params) as T,
      close: async () => void db.close(),
    };
  },
  cleanup: async () => undefined,
};

function postgres(): Backend {
  const schema = testSchemaName();
  const numbered = (statement: string): string => {
    let n = 0;
    return statement.replace(/\?/g, () => `$${++n}`);
  };
  return {
    name: 'PostgreSQL',
    store: async () => ({ kind: 'postgres', url: PG_URL, schema, poolSize: 4 }),
    async tamper() {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`set search_path to "${schema}"`);
      return {
        run: async (statement, ...params) => {
          await client.query(numbered(statement), params);
        },
        one: async <T>(statement: string, ...params: unknown[]) =>
          (await client.query(numbered(statement), params)).rows[0] as T,
        close: () => client.end(),
      };
    },
    cleanup: () => dropSchema(schema),
  };
}

const describePg = describePostgres('row integrity attacks on PostgreSQL');

for (const [backend, describeIt] of [
  [sqlite, describe],
  [postgres(), describePg],
] as const) {
  describeIt(`storage is untrusted (${backend.name})`, () => {
    let dataDir: string;
    let server: RunningServer;
    let admin: RemoteKms;
    let db: Tamper;
    const logged: { details: Record<string, unknown>; message: string }[] = [];

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'custos-attack-'));
      const store = await backend.store(dataDir);
      server = await startServer({
        dataDir,
        listen: '127.0.0.1:0',
        logger: false,
        kmsOptions: {
          maintenanceIntervalMs: 0,
          // No cache: every call reads the rows, as a node that has just started would.
          config: { keyCacheTtlMs: 0 },
          logger: { error: (details, message) => void logged.push({ details, message }) },
          ...(store ? { store } : {}),
        },
      });
      admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
      db = await backend.tamper(dataDir);
    });
    afterAll(async () => {
      await db.close();
      await server.close();
      await backend.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    });

    /** The audit records that report an integrity failure, oldest first, as the database holds them. */
    const integrityRecords = async (): Promise<
      { operation: string; outcome: string; error_code: string; details: string }[]
    > => {
      const rows: { operation: string; outcome: string; error_code: string; details: string }[] = [];
      for (let seq = 0; ;) {
        const row = await db.one<
          { seq: number | string; operation: string; outcome: string; error_code: string; details: string } | undefined
        >(
          `select seq, operation, outcome, error_code, details from audit_log
           where seq > ? and details like '%integrityFailure%' order by seq limit 1`,
          seq,
        );
        if (row === undefined) return rows;
        rows.push(row);
        seq = Number(row.seq);
      }
    };

    /** The call failed INTERNAL, the log names the row, and the audit log says an integrity failure happened. */
    const expectIntegrityFailure = async (call: Promise<unknown>, table: string, row: string): Promise<void> => {
      logged.length = 0;
      await expectKmsError(call, 'INTERNAL');
      expect(logged).toContainEqual(
        expect.objectContaining({
          message: expect.stringMatching(/row integrity check failed/),
          details: expect.objectContaining({ integrityFailure: { table, row } }),
        }),
      );
      const audited = (await integrityRecords()).at(-1);
      expect(audited).toMatchObject({ outcome: 'failed', error_code: 'INTERNAL' });
      expect(JSON.parse(audited!.details)).toMatchObject({ integrityFailure: { table, row } });
    };

    it('a token row inserted into the database authenticates nobody (it would have been an admin)', async () => {
      const token = `cst_${Buffer.alloc(32, 1).toString('base64url')}`;
      const sha256 = createHash('sha256').update(token).digest('hex');
      // Today's own row, copied: even its MAC, taken from a real token, does not make the forged one usable.
      const real = await db.one<{ row_mac: string }>('select row_mac from api_tokens limit 1');
      await db.run(
        `insert into api_tokens (id, principal, roles, token_hash, description, created_at, row_mac)
         values (?, 'attacker', '["admin"]', ?, '', 0, ?)`,
        randomUUID(),
        sha256,
        real.row_mac,
      );
      const forged = new RemoteKms({ endpoint: server.url, token });
      await expectKmsError(forged.listKeys({}), 'UNAUTHENTICATED');
      const res = await fetch(`${server.url}/v1/keys`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
    });

    it('a key flipped to exportable in the database cannot be exported', async () => {
      const { keyId } = (await admin.createKey({})).keyMetadata;
      await expectKmsError(admin.exportKey({ keyId, format: 'JWK' }), 'ACCESS_DENIED');
      await db.run('update keys set exportable = 1 where id = ?', keyId);
      await expectIntegrityFailure(admin.exportKey({ keyId, format: 'JWK' }), 'keys', keyId);
    });

    it('a disabled key re-enabled in the database stays unusable', async () => {
      const { keyId } = (await admin.createKey({})).keyMetadata;
      await admin.disableKey({ keyId });
      await db.run(`update keys set state = 'Enabled' where id = ?`, keyId);
      await expectIntegrityFailure(admin.encrypt({ keyId, plaintext: new Uint8Array([1]) }), 'keys', keyId);
    });

    it('dropping max_uses, or resetting the use count, in the database buys no more uses', async () => {
      const { keyId } = (await admin.createKey({ usageConstraints: { maxUses: 1 } })).keyMetadata;
      await admin.encrypt({ keyId, plaintext: new Uint8Array([1]) });
      await expectKmsError(admin.encrypt({ keyId, plaintext: new Uint8Array([1]) }), 'USAGE_LIMIT_EXCEEDED');
      await db.run('update keys set use_count = 0 where id = ?', keyId);
      await expectIntegrityFailure(admin.encrypt({ keyId, plaintext: new Uint8Array([1]) }), 'keys', keyId);
      await db.run('update keys set use_count = 1, max_uses = null where id = ?', keyId);
      await expectIntegrityFailure(admin.encrypt({ keyId, plaintext: new Uint8Array([1]) }), 'keys', keyId);
    });

    it('a minimum decryption version lowered in the database does not reopen old ciphertexts (migration 016)', async () => {
      const { keyId } = (await admin.createKey({})).keyMetadata;
      const old = (await admin.encrypt({ keyId, plaintext: new Uint8Array([1]) })).ciphertextBlob;
      await admin.rotateKeyOnDemand({ keyId });
      await admin.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 2 });
      await db.run('update keys set min_decryption_version = 1 where id = ?', keyId);
      await expectIntegrityFailure(admin.decrypt({ ciphertextBlob: old, keyId }), 'keys', keyId);
    });

    it('usage telemetry rows are not authenticated: a forged count changes no access decision', async () => {
      const { keyId } = (await admin.createKey({ usageConstraints: { maxUses: 1 } })).keyMetadata;
      await admin.encrypt({ keyId, plaintext: new Uint8Array([1]) });
      await db.run(
        "insert into key_usage (key_id, version, operation, count, last_used_at) values (?, 1, 'Encrypt', 0, 0)",
        keyId,
      );
      // maxUses reads the authenticated keys.use_count, never key_usage.
      await expectKmsError(admin.encrypt({ keyId, plaintext: new Uint8Array([1]) }), 'USAGE_LIMIT_EXCEEDED');
    });

    it("a token's roles raised in the database are not honoured", async () => {
      // A sibling token shows what the role allows; the tampered one is not used before the edit (not cached).
      const sibling = await admin.createToken({ roles: ['key-user'] });
      await expectKmsError(
        new RemoteKms({ endpoint: server.url, token: sibling.token }).createToken({ roles: ['admin'] }),
        'ACCESS_DENIED',
      );
      const user = await admin.createToken({ roles: ['key-user'] });
      const remote = new RemoteKms({ endpoint: server.url, token: user.token });
      await db.run(`update api_tokens set roles = '["admin"]' where id = ?`, user.tokenId);
      logged.length = 0;
      await expectKmsError(remote.createToken({ roles: ['admin'] }), 'INTERNAL');
      expect(logged.map((l) => l.details.integrityFailure)).toContainEqual({ table: 'api_tokens', row: user.tokenId });
      const audited = (await integrityRecords()).at(-1);
      expect(audited).toMatchObject({ operation: 'Authenticate', outcome: 'failed', error_code: 'INTERNAL' });
      expect(JSON.parse(audited!.details)).toEqual({ integrityFailure: { table: 'api_tokens', row: user.tokenId } });
    });

    it("an access key's roles raised in the database are not honoured (AWS protocol)", async () => {
      // As for tokens: a sibling access key shows what the role allows; the tampered one is not used before the edit
      // (a lookup is cached for a few seconds, as a token's is).
      const { keyId } = (await admin.createKey({})).keyMetadata;
      const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
        new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
      const sibling = client(await admin.createAccessKey({ roles: ['monitor'] }));
      const created = await admin.createAccessKey({ roles: ['monitor'] });
      const tampered = client(created);
      try {
        await expectAws(sibling.send(new DescribeKeyCommand({ KeyId: keyId })), 'AccessDeniedException');
        await db.run(`update access_keys set roles = '["admin"]' where id = ?`, created.accessKeyId);
        await expectAws(tampered.send(new DescribeKeyCommand({ KeyId: keyId })), 'KMSInternalException');
      } finally {
        sibling.destroy();
        tampered.destroy();
      }
    });

    it("one key's row MAC copied onto another key's row does not vouch for it", async () => {
      const enabled = (await admin.createKey({ description: 'same' })).keyMetadata.keyId;
      const disabled = (await admin.createKey({ description: 'same' })).keyMetadata.keyId;
      await admin.disableKey({ keyId: disabled });
      // Make the disabled key's columns the enabled key's, MAC included: only the id differs.
      await db.run(
        `update keys set state = 'Enabled', updated_at = (select updated_at from keys where id = ?),
           created_at = (select created_at from keys where id = ?), row_mac = (select row_mac from keys where id = ?)
         where id = ?`,
        enabled,
        enabled,
        enabled,
        disabled,
      );
      await expectIntegrityFailure(
        admin.encrypt({ keyId: disabled, plaintext: new Uint8Array([1]) }),
        'keys',
        disabled,
      );
    });

    it("a version's public key swapped in the database is never handed out", async () => {
      const a = (await admin.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
      const b = (await admin.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
      await db.run(
        'update key_versions set public_key = (select public_key from key_versions where key_id = ?) where key_id = ?',
        b,
        a,
      );
      await expectIntegrityFailure(admin.getPublicKey({ keyId: a }), 'key_versions', `${a}/1`);
    });

    it('an alias pointed at another key in the database is refused', async () => {
      const mine = (await admin.createKey({})).keyMetadata.keyId;
      const theirs = (await admin.createKey({})).keyMetadata.keyId;
      await admin.createAlias({ aliasName: 'alias/payments', targetKeyId: mine });
      await db.run(`update aliases set key_id = ? where name = 'alias/payments'`, theirs);
      await expectIntegrityFailure(
        admin.encrypt({ keyId: 'alias/payments', plaintext: new Uint8Array([1]) }),
        'aliases',
        'alias/payments',
      );
    });

    it('a row with its MAC removed (as a node of an older release would write it) is refused', async () => {
      const { keyId } = (await admin.createKey({})).keyMetadata;
      await db.run('update keys set row_mac = null where id = ?', keyId);
      await expectIntegrityFailure(admin.describeKey({ keyId }), 'keys', keyId);
    });
  });
}
