// Issue 12, receipts: every successful call hands its caller (Caller.onReceipt) an authenticated statement of its
// audit record; VerifyAuditChain checks receipts against the log. A receipt whose record was deleted proves the
// truncation; an altered receipt is refused; concurrent calls each get their own record; a refused or failed call
// gets none. SQLite (in-process sink and, from the compiled package, the audit worker thread) and PostgreSQL.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Caller, Kms } from '@custos/contract';
import { LocalKms } from '../../../src/index.js';
import { openPostgresStore, openSqliteStore, type Store } from '../../../src/store/index.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../../store/pg.js';
import { readReceipt } from '../../../src/service/audit/receipts.js';

const quiet = { error: () => undefined };

interface Backend {
  readonly kms: Kms & { close(): Promise<void> };
  /** A second handle on the same database, for tampering. */
  readonly store: Store;
  cleanup(): Promise<void>;
}

type Opener = typeof LocalKms.open;

async function sqliteBackend(open: Opener = LocalKms.open.bind(LocalKms)): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-receipts-'));
  const kms = await open({ dataDir: dir, maintenanceIntervalMs: 0, logger: quiet });
  const store = await openSqliteStore(join(dir, 'custos.db'), { migrate: false });
  return {
    kms,
    store,
    cleanup: async () => {
      await kms.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-receipts-pg-'));
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
    cleanup: async () => {
      await kms.close();
      await store.close();
      await dropSchema(schema);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A caller that keeps the receipts it is given. */
function receiving(requestId: string): Caller & { receipts: string[] } {
  const receipts: string[] = [];
  return { principal: 'local:admin', roles: ['admin'], requestId, receipts, onReceipt: (r) => receipts.push(r) };
}

/** The payload of a receipt, read without its key (tests only). */
function payloadOf(receipt: string): unknown[] {
  return JSON.parse(Buffer.from(receipt.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown[];
}

function receiptSuite(open: () => Promise<Backend>): void {
  let b: Backend | undefined;
  afterEach(async () => {
    await b?.cleanup();
    b = undefined;
  });

  it('a state change and a cryptographic call each get the receipt of their own record, which verifies', async () => {
    b = await open();
    const created = receiving('req-create');
    const { keyMetadata } = await b.kms.createKey({}, created);
    const encrypted = receiving('req-encrypt');
    await b.kms.encrypt({ keyId: keyMetadata.keyId, plaintext: new Uint8Array([1]) }, encrypted);
    expect(created.receipts).toHaveLength(1);
    expect(encrypted.receipts).toHaveLength(1);
    const [createSeq, createHash, createRequest, createOp, createKey] = payloadOf(created.receipts[0]!);
    expect([createRequest, createOp, createKey]).toEqual(['req-create', 'CreateKey', keyMetadata.keyId]);
    const [encryptSeq, , encryptRequest, encryptOp, encryptKey] = payloadOf(encrypted.receipts[0]!);
    expect([encryptRequest, encryptOp, encryptKey]).toEqual(['req-encrypt', 'Encrypt', keyMetadata.keyId]);
    const { records } = await b.kms.listAuditRecords({ last: 100 });
    // The listing does not show hashes: VerifyAuditChain checks each receipt's hash against its record.
    expect(createHash).toMatch(/^[0-9a-f]{64}$/);
    expect(records.find((r) => r.seq === createSeq)).toMatchObject({ requestId: 'req-create' });
    expect(records.find((r) => r.seq === encryptSeq)).toMatchObject({ requestId: 'req-encrypt' });
    const result = await b.kms.verifyAuditChain({ receipts: [...created.receipts, ...encrypted.receipts] });
    expect(result.ok).toBe(true);
    expect(result.receipts?.map((r) => r.status)).toEqual(['valid', 'valid']);
  });

  it('concurrent calls (one group commit) each get their own record: distinct seqs, each its request id', async () => {
    b = await open();
    const { keyMetadata } = await b.kms.createKey({});
    const callers = Array.from({ length: 50 }, (_, i) => receiving(`req-${String(i)}`));
    await Promise.all(
      callers.map((c) => b!.kms.encrypt({ keyId: keyMetadata.keyId, plaintext: new Uint8Array([7]) }, c)),
    );
    const seqs = callers.map((c) => payloadOf(c.receipts[0]!)[0]);
    expect(new Set(seqs).size).toBe(50);
    const { records } = await b.kms.listAuditRecords({ last: 100 });
    for (const c of callers) {
      const [seq, , requestId] = payloadOf(c.receipts[0]!);
      expect(requestId).toBe(c.requestId);
      expect(records.find((r) => r.seq === seq)).toMatchObject({ requestId: c.requestId, operation: 'Encrypt' });
    }
    for (const part of [callers.slice(0, 20), callers.slice(20, 40), callers.slice(40)]) {
      const result = await b.kms.verifyAuditChain({ receipts: part.map((c) => c.receipts[0]!) });
      expect(result.receipts?.map((r) => [r.status, r.requestId])).toEqual(part.map((c) => ['valid', c.requestId]));
    }
  });

  it('a receipt whose record was deleted from the database proves the truncation', async () => {
    b = await open();
    const { keyMetadata } = await b.kms.createKey({});
    const last = receiving('req-last');
    await b.kms.encrypt({ keyId: keyMetadata.keyId, plaintext: new Uint8Array([1]) }, last);
    const [seq] = payloadOf(last.receipts[0]!) as [number];
    // The newest record, after the last checkpoint: the chain and the checkpoints alone cannot see it go.
    await b.store.db.deleteFrom('audit_log').where('seq', '>=', seq).execute();
    const result = await b.kms.verifyAuditChain({ receipts: last.receipts });
    expect(result).toMatchObject({ ok: false, brokenAt: seq, receipts: [{ status: 'missing', seq }] });
  });

  it('an altered receipt is refused; a record rewritten under a receipt is a mismatch', async () => {
    b = await open();
    const caller = receiving('req-a');
    const { keyMetadata } = await b.kms.createKey({}, caller);
    const receipt = caller.receipts[0]!;
    const [, payload, mac] = receipt.split('.');
    const fields = payloadOf(receipt);
    fields[2] = 'req-forged';
    const forged = `r1.${Buffer.from(JSON.stringify(fields)).toString('base64url')}.${mac!}`;
    const flipped = `r1.${payload!}.${mac!.startsWith('A') ? 'B' : 'A'}${mac!.slice(1)}`;
    const result = await b.kms.verifyAuditChain({ receipts: [forged, flipped, 'r1.x.y', 'junk'] });
    expect(result.receipts?.map((r) => r.status)).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    expect(result.ok).toBe(true); // a bad receipt says nothing about the log
    // The record its receipt names, rewritten in place (another key id): the receipt shows the rewrite.
    await b.store.db
      .updateTable('audit_log')
      .set({ key_id: null })
      .where('seq', '=', fields[0] as number)
      .execute();
    const after = await b.kms.verifyAuditChain({ receipts: [receipt] });
    expect(after.ok).toBe(false);
    expect(after.receipts?.[0]?.status).toBe('mismatch');
    expect(keyMetadata.keyId).toBe(fields[4]);
  });

  it('a refused or failed call gets no receipt (its record is written, as before)', async () => {
    b = await open();
    const denied = { ...receiving('req-denied'), roles: ['monitor' as const] };
    await expect(b.kms.createKey({}, denied)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    const failed = receiving('req-failed');
    await expect(b.kms.describeKey({ keyId: 'alias/none' }, failed)).rejects.toMatchObject({ code: 'ALIAS_NOT_FOUND' });
    expect(denied.receipts).toEqual([]);
    expect(failed.receipts).toEqual([]);
    const { records } = await b.kms.listAuditRecords({ last: 3 });
    expect(records.map((r) => [r.requestId, r.outcome])).toContainEqual(['req-denied', 'denied']);
    expect(records.map((r) => [r.requestId, r.outcome])).toContainEqual(['req-failed', 'failed']);
  });
}

describe('audit receipts (SQLite, in-process sink)', () => {
  receiptSuite(() => sqliteBackend());

  it('the receipt key has its own label: a follow cursor is not a receipt', () => {
    expect(readReceipt(new Uint8Array(32), 'r1.W10.AAAA')).toBeUndefined();
  });
});

// The audit worker thread runs from the compiled package only (npm run build).
const compiled = join(import.meta.dirname, '../../../dist/index.js');
describe.skipIf(!existsSync(compiled))('audit receipts (SQLite, audit worker thread, compiled package)', () => {
  receiptSuite(async () => {
    const { LocalKms: CompiledKms } = (await import(compiled)) as { LocalKms: typeof LocalKms };
    return sqliteBackend(CompiledKms.open.bind(CompiledKms));
  });
});

describePostgres('audit receipts on PostgreSQL')('audit receipts (PostgreSQL)', () => {
  receiptSuite(postgresBackend);
});
