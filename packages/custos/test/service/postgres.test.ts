// LocalKms on PostgreSQL (databaseUrl): the service behaviour that leans on the store — lifecycle, aliases, tags,
// import, rotation racing encryption, maxUses across connections — and the root key binding checked before any
// write. One throwaway schema per LocalKms; skipped loudly when no server is reachable.
/* eslint-disable @typescript-eslint/no-deprecated -- these tests open LocalKms through databaseUrl on purpose */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { LocalKms, wrapForImport } from '../../src/index.js';
import type { LocalKmsOptions } from '../../src/service/local-kms.js';
import { openPostgresStore, type Store } from '../../src/store/index.js';
import { withRowKey } from '../helpers/row-key.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';
import { TestClock, text, utf8 } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const describePg = describePostgres('LocalKms on PostgreSQL tests');

/** A LocalKms on a fresh schema, its own data directory (root key only) and a settable clock. */
interface PgKms {
  readonly kms: LocalKms;
  readonly dir: string;
  readonly schema: string;
  readonly clock: TestClock;
  /** Another LocalKms on the same schema and root key: a second node. */
  openNode(more?: Partial<LocalKmsOptions>): Promise<LocalKms>;
  cleanup(): Promise<void>;
}

async function openPgKms(more: Partial<LocalKmsOptions> = {}): Promise<PgKms> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-pg-'));
  const schema = testSchemaName();
  const clock = new TestClock();
  const options: LocalKmsOptions = {
    dataDir: dir,
    databaseUrl: PG_URL,
    databaseSchema: schema,
    now: clock.now,
    maintenanceIntervalMs: 0,
    config: { minPendingWindowDays: 1 },
    logger: { error: () => undefined },
    ...more,
  };
  const nodes: LocalKms[] = [];
  const kms = await LocalKms.open(options);
  nodes.push(kms);
  return {
    kms,
    dir,
    schema,
    clock,
    async openNode(extra = {}) {
      const node = await LocalKms.open({ ...options, ...extra });
      nodes.push(node);
      return node;
    },
    async cleanup() {
      for (const node of nodes) await node.close();
      await dropSchema(schema);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A raw store on the same schema, to look at the tables. */
async function rawStore(schema: string): Promise<Store> {
  return withRowKey(await openPostgresStore(PG_URL, { schema, migrate: false, poolSize: 2 }));
}

async function tableCounts(store: Store): Promise<Record<string, number>> {
  const count = async (table: string) =>
    (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db)).rows[0]!.n;
  return {
    custos_migrations: await count('custos_migrations'),
    meta: await count('meta'),
    audit_log: await count('audit_log'),
    keys: await count('keys'),
  };
}

describePg('LocalKms on PostgreSQL', () => {
  let t: PgKms;
  beforeAll(async () => {
    t = await openPgKms();
  });
  afterAll(async () => t?.cleanup());

  it('creates, encrypts, decrypts, describes and lists keys', async () => {
    const { keyMetadata } = await t.kms.createKey({ description: 'orders' });
    expect(keyMetadata.keyState).toBe('Enabled');
    const { ciphertextBlob } = await t.kms.encrypt({
      keyId: keyMetadata.keyId,
      plaintext: utf8('hello pg'),
      encryptionContext: { a: 'b' },
    });
    const out = await t.kms.decrypt({ ciphertextBlob, encryptionContext: { a: 'b' } });
    expect(text(out.plaintext)).toBe('hello pg');
    expect(out.keyId).toBe(keyMetadata.arn);
    await expectKmsError(t.kms.decrypt({ ciphertextBlob, encryptionContext: { a: 'c' } }), 'INVALID_CIPHERTEXT');
    expect((await t.kms.describeKey({ keyId: keyMetadata.keyId })).keyMetadata.description).toBe('orders');
    expect((await t.kms.listKeys({})).keys.map((k) => k.keyId)).toContain(keyMetadata.keyId);
  });

  it('signs and verifies with an asymmetric key (public key bytes through BYTEA)', async () => {
    const { keyMetadata } = await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    const message = utf8('signed on pg');
    const { signature } = await t.kms.sign({ keyId: keyMetadata.keyId, message, signingAlgorithm: 'ECDSA_SHA_256' });
    expect(
      (await t.kms.verify({ keyId: keyMetadata.keyId, message, signature, signingAlgorithm: 'ECDSA_SHA_256' }))
        .signatureValid,
    ).toBe(true);
    const { publicKey } = await t.kms.getPublicKey({ keyId: keyMetadata.keyId });
    expect(publicKey.constructor).toBe(Uint8Array);
  });

  it('aliases: create, resolve, list, update, a duplicate fails with ALREADY_EXISTS, delete', async () => {
    const { keyId: a, arn: aArn } = (await t.kms.createKey({})).keyMetadata;
    const b = (await t.kms.createKey({})).keyMetadata.keyId;
    await t.kms.createAlias({ aliasName: 'alias/pg-orders', targetKeyId: a });
    await expectKmsError(t.kms.createAlias({ aliasName: 'alias/pg-orders', targetKeyId: b }), 'ALREADY_EXISTS');
    const { ciphertextBlob } = await t.kms.encrypt({ keyId: 'alias/pg-orders', plaintext: utf8('via alias') });
    expect((await t.kms.decrypt({ ciphertextBlob })).keyId).toBe(aArn);
    expect((await t.kms.listAliases({ keyId: a })).aliases.map((x) => x.aliasName)).toEqual(['alias/pg-orders']);
    await t.kms.updateAlias({ aliasName: 'alias/pg-orders', targetKeyId: b });
    expect((await t.kms.describeKey({ keyId: 'alias/pg-orders' })).keyMetadata.keyId).toBe(b);
    await t.kms.deleteAlias({ aliasName: 'alias/pg-orders' });
    await expectKmsError(t.kms.describeKey({ keyId: 'alias/pg-orders' }), 'ALIAS_NOT_FOUND');
  });

  it('tags: tag, retag (upsert), untag, list', async () => {
    const keyId = (await t.kms.createKey({ tags: [{ tagKey: 'team', tagValue: 'payments' }] })).keyMetadata.keyId;
    await t.kms.tagResource({
      keyId,
      tags: [
        { tagKey: 'env', tagValue: 'prod' },
        { tagKey: 'team', tagValue: 'risk' },
      ],
    });
    expect((await t.kms.listResourceTags({ keyId })).tags).toEqual([
      { tagKey: 'env', tagValue: 'prod' },
      { tagKey: 'team', tagValue: 'risk' },
    ]);
    await t.kms.untagResource({ keyId, tagKeys: ['env'] });
    expect((await t.kms.listResourceTags({ keyId })).tags).toEqual([{ tagKey: 'team', tagValue: 'risk' }]);
  });

  it('disable refuses use with DISABLED, enable restores it', async () => {
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('x') });
    await t.kms.disableKey({ keyId });
    expect((await t.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Disabled');
    await expectKmsError(t.kms.decrypt({ ciphertextBlob }), 'KEY_DISABLED');
    await t.kms.enableKey({ keyId });
    expect(text((await t.kms.decrypt({ ciphertextBlob })).plaintext)).toBe('x');
  });

  it('schedule deletion, cancel, schedule again; runMaintenance destroys the key once the window has passed', async () => {
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('doomed') });
    await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7, force: true });
    await t.kms.cancelKeyDeletion({ keyId });
    expect((await t.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Disabled');
    const scheduled = await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 1, force: true });
    expect(scheduled.keyState).toBe('PendingDeletion');
    expect((await t.kms.runMaintenance()).destroyed).toBe(0);
    t.clock.advanceDays(2);
    expect((await t.kms.runMaintenance()).destroyed).toBeGreaterThanOrEqual(1);
    expect((await t.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Destroyed');
    await expectKmsError(t.kms.decrypt({ ciphertextBlob }), 'INVALID_KEY_STATE');
  });

  it('imports key material and uses it', async () => {
    const keyId = (await t.kms.createKey({ origin: 'EXTERNAL' })).keyMetadata.keyId;
    expect((await t.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('PendingImport');
    const params = await t.kms.getParametersForImport({
      keyId,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_2048',
    });
    const material = randomBytes(32);
    await t.kms.importKeyMaterial({
      keyId,
      importToken: params.importToken,
      encryptedKeyMaterial: wrapForImport('RSAES_OAEP_SHA_256', params.publicKey, material),
      expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    });
    expect((await t.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Enabled');
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('imported') });
    expect(text((await t.kms.decrypt({ ciphertextBlob })).plaintext)).toBe('imported');
  });

  it('10 rotations racing 100 encrypt/decrypt round trips: every ciphertext decrypts, versions have no gaps', async () => {
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    const rotations = Array.from({ length: 10 }, () => t.kms.rotateKeyOnDemand({ keyId }));
    const roundTrips = Array.from({ length: 100 }, async (_, i) => {
      const plaintext = utf8(`message ${i}`);
      const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext });
      return { plaintext, ciphertextBlob, decrypted: (await t.kms.decrypt({ ciphertextBlob })).plaintext };
    });
    const results = await Promise.allSettled([...rotations, ...roundTrips]);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
    for (const r of await Promise.all(roundTrips)) expect(text(r.decrypted)).toBe(text(r.plaintext));
    const listed = await t.kms.listKeyRotations({ keyId, limit: 1000 });
    expect(listed.rotations.map((r) => r.keyVersion)).toEqual(Array.from({ length: 10 }, (_, i) => i + 2));
    for (const r of await Promise.all(roundTrips))
      expect(text((await t.kms.decrypt({ ciphertextBlob: r.ciphertextBlob })).plaintext)).toBe(text(r.plaintext));
  });

  it('maxUses is exact under 20 concurrent uses', async () => {
    const keyId = (await t.kms.createKey({ usageConstraints: { maxUses: 10 } })).keyMetadata.keyId;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => t.kms.encrypt({ keyId, plaintext: utf8(`use ${i}`) })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.map((r) => (r.reason as { code?: string }).code)).toEqual(Array(10).fill('USAGE_LIMIT_EXCEEDED'));
  });

  it('maxUses is exact when two nodes share the database', async () => {
    const node = await t.openNode();
    const keyId = (await t.kms.createKey({ usageConstraints: { maxUses: 10 } })).keyMetadata.keyId;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? t.kms : node).encrypt({ keyId, plaintext: utf8(`use ${i}`) }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
  });

  it('the audit chain stays unbroken through concurrent work on two nodes', async () => {
    const node = await t.openNode();
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? t.kms : node).encrypt({ keyId, plaintext: utf8(`${i}`) })),
    );
    const verified = await t.kms.verifyAuditChain({});
    expect(verified).toMatchObject({ ok: true });
  });
});

describePg('LocalKms on PostgreSQL: the root key', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('a second LocalKms with a different root key is refused with VALIDATION_ERROR before anything is written', async () => {
    const t = await openPgKms();
    cleanups.push(() => t.cleanup());
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('bound') });
    const raw = await rawStore(t.schema);
    cleanups.push(() => raw.close());
    const before = await tableCounts(raw);
    const metaBefore = (await sql`select * from meta order by key`.execute(raw.db)).rows;
    const other = await mkdtemp(join(tmpdir(), 'custos-pg-other-root-'));
    cleanups.push(() => rm(other, { recursive: true, force: true }));

    await expectKmsError(
      LocalKms.open({
        dataDir: other,
        databaseUrl: PG_URL,
        databaseSchema: t.schema,
        maintenanceIntervalMs: 0,
        logger: { error: () => undefined },
      }),
      'VALIDATION_ERROR',
    );
    expect(await tableCounts(raw)).toEqual(before);
    expect((await sql`select * from meta order by key`.execute(raw.db)).rows).toEqual(metaBefore);
    expect(text((await t.kms.decrypt({ ciphertextBlob })).plaintext)).toBe('bound');
  });

  it('a database with a pending migration and a different root key is refused without migrating it', async () => {
    const t = await openPgKms();
    cleanups.push(() => t.cleanup());
    await t.kms.close();
    const raw = await rawStore(t.schema);
    cleanups.push(() => raw.close());
    const newest = (await sql<{ name: string }>`select max(name) as name from custos_migrations`.execute(raw.db))
      .rows[0]!.name;
    await sql`delete from custos_migrations where name = ${newest}`.execute(raw.db); // as if an older Custos left it
    const before = await tableCounts(raw);
    const other = await mkdtemp(join(tmpdir(), 'custos-pg-other-root-'));
    cleanups.push(() => rm(other, { recursive: true, force: true }));

    await expectKmsError(
      LocalKms.open({
        dataDir: other,
        databaseUrl: PG_URL,
        databaseSchema: t.schema,
        maintenanceIntervalMs: 0,
        logger: { error: () => undefined },
      }),
      'VALIDATION_ERROR',
    );
    expect(await tableCounts(raw)).toEqual(before);
  });

  it('the root key file lives in rootKeyFile when given, and the data directory is not needed for the database', async () => {
    const rootDir = await mkdtemp(join(tmpdir(), 'custos-pg-root-'));
    cleanups.push(() => rm(rootDir, { recursive: true, force: true }));
    const t = await openPgKms({ rootKeyFile: join(rootDir, 'custom.key') });
    cleanups.push(() => t.cleanup());
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('custom root') });
    const node = await t.openNode({ dataDir: await mkdtemp(join(tmpdir(), 'custos-pg-node-')) });
    expect(text((await node.decrypt({ ciphertextBlob })).plaintext)).toBe('custom root');
  });

  it('two nodes with different root keys starting together on an empty database: exactly one is accepted', async () => {
    const schema = testSchemaName();
    cleanups.push(() => dropSchema(schema));
    const dirs = await Promise.all([0, 1].map(() => mkdtemp(join(tmpdir(), 'custos-pg-race-'))));
    cleanups.push(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
    const results = await Promise.allSettled(
      dirs.map((dataDir) =>
        LocalKms.open({
          dataDir,
          databaseUrl: PG_URL,
          databaseSchema: schema,
          maintenanceIntervalMs: 0,
          logger: { error: () => undefined },
        }),
      ),
    );
    for (const r of results) if (r.status === 'fulfilled') cleanups.push(() => r.value.close());
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect((refused?.reason as { code?: string }).code).toBe('VALIDATION_ERROR');
  });
});
