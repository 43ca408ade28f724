// Issue 12: a state change commits with its audit record. With the audit insert failing (a trigger that raises on
// insert into audit_log), nothing changes and the caller gets an error; with it working, each change has its record
// on the same commit. SQLite and PostgreSQL (skipped loudly when no server is reachable).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalKms } from '../../../src/index.js';
import { openPostgresStore, openSqliteStore, type Store } from '../../../src/store/index.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../../store/pg.js';
import { kmsRejection } from '../../../../contract/test/helpers/expect-kms-error.js';

interface Backend {
  readonly kms: LocalKms;
  /** A second handle on the same database, for arranging faults and looking at rows. */
  readonly store: Store;
  failAuditInserts(): Promise<void>;
  cleanup(): Promise<void>;
}

const quiet = { error: () => undefined };

async function sqliteBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-atomic-'));
  const kms = await LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0, logger: quiet });
  const store = await openSqliteStore(join(dir, 'custos.db'), { migrate: false });
  return {
    kms,
    store,
    failAuditInserts: async () => {
      await sql`create trigger audit_fails before insert on audit_log begin select raise(abort, 'audit insert refused'); end`.execute(
        store.db,
      );
    },
    cleanup: async () => {
      await kms.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-atomic-pg-'));
  const schema = testSchemaName();
  const kms = await LocalKms.open({
    dataDir: dir,
    store: { kind: 'postgres', url: PG_URL, schema },
    maintenanceIntervalMs: 0,
    logger: quiet,
  });
  const store = await openPostgresStore(PG_URL, { schema, poolSize: 2 });
  return {
    kms,
    store,
    failAuditInserts: async () => {
      await sql
        .raw(
          `create function ${schema}.audit_fails() returns trigger language plpgsql as
             $$ begin raise exception 'audit insert refused'; end $$;
           create trigger audit_fails before insert on ${schema}.audit_log
             for each row execute function ${schema}.audit_fails();`,
        )
        .execute(store.db);
    },
    cleanup: async () => {
      await kms.close();
      await store.close();
      await dropSchema(schema);
    },
  };
}

async function counts(store: Store) {
  const count = async (table: 'keys' | 'aliases' | 'key_tags' | 'api_tokens' | 'audit_log') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    keys: await count('keys'),
    aliases: await count('aliases'),
    tags: await count('key_tags'),
    tokens: await count('api_tokens'),
    audit: await count('audit_log'),
  };
}

function atomicSuite(open: () => Promise<Backend>) {
  let backend: Backend | undefined;
  afterEach(async () => {
    await backend?.cleanup();
    backend = undefined;
  });

  it('when the audit record cannot be written, no key, alias, tag or token is created and the caller gets an error', async () => {
    backend = await open();
    const { kms, store } = backend;
    const { keyMetadata } = await kms.createKey({ description: 'before the fault' });
    const before = await counts(store);
    await backend.failAuditInserts();

    const attempts = [
      () => kms.createKey({ tags: [{ tagKey: 'a', tagValue: 'b' }] }),
      () => kms.createAlias({ aliasName: 'alias/atomic', targetKeyId: keyMetadata.keyId }),
      () => kms.tagResource({ keyId: keyMetadata.keyId, tags: [{ tagKey: 't', tagValue: 'v' }] }),
      () => kms.createToken({ roles: ['key-user'] }),
      () => kms.disableKey({ keyId: keyMetadata.keyId }),
    ];
    for (const attempt of attempts) {
      const error = await kmsRejection(attempt());
      expect(['INTERNAL', 'UNAVAILABLE']).toContain(error.code);
    }
    expect(await counts(store)).toEqual(before);
    // Read from the store: every call, reads included, fails while audit records cannot be written.
    const key = await store.db
      .selectFrom('keys')
      .select('state')
      .where('id', '=', keyMetadata.keyId)
      .executeTakeFirst();
    expect(key?.state).toBe('Enabled');
  });

  it('each change has its allowed record in the log as soon as the call returns', async () => {
    backend = await open();
    const { kms, store } = backend;
    const { keyMetadata } = await kms.createKey({});
    await kms.createAlias({ aliasName: 'alias/atomic', targetKeyId: keyMetadata.keyId });
    const { tokenId } = await kms.createToken({ roles: ['key-user'] });
    // The first start's EstablishRowIntegrity and SeedKeyringPolicies come first; then the three changes.
    const rows = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('operation', 'not in', ['EstablishRowIntegrity', 'SeedKeyringPolicies'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => [r.operation, r.outcome])).toEqual([
      ['CreateKey', 'allowed'],
      ['CreateAlias', 'allowed'],
      ['CreateToken', 'allowed'],
    ]);
    expect(rows[0]?.key_id).toBe(keyMetadata.keyId);
    expect(JSON.parse(rows[1]?.details ?? '{}')).toMatchObject({ aliasName: 'alias/atomic' });
    expect(JSON.parse(rows[2]?.details ?? '{}')).toMatchObject({ tokenId });
  });
}

describe('audit records commit with their change (SQLite)', () => {
  atomicSuite(sqliteBackend);
});

describePostgres('atomic audit on PostgreSQL')('audit records commit with their change (PostgreSQL)', () => {
  atomicSuite(postgresBackend);
});
