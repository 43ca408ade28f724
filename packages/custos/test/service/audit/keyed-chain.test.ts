// Issue 12: the audit chain is keyed (HMAC-SHA-256 under deriveKey('audit-chain'), chain = 2). Someone who can write
// the database but holds no root key edits a record and re-chains everything after it with SHA-256, the published
// scheme-1 formula: VerifyAuditChain finds the edit. Old (scheme 1) records still verify, up to the first keyed one.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalKms } from '../../../src/index.js';
import * as auditLog from '../../../src/service/audit/audit-log.js';
import { openSqliteStore, type AuditEntry, type Db, type Store } from '../../../src/store/index.js';
import { TEST_CHAIN_KEY } from '../../helpers/audit.js';

/** What an attacker without the key can do: recompute SHA-256(prevHash || canonical fields) from `fromSeq` on. */
async function rechainWithSha256(db: Db, fromSeq: number, relabel: boolean): Promise<void> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  let prev = '0'.repeat(64);
  for (const row of rows) {
    if (Number(row.seq) >= fromSeq) {
      const canonical = JSON.stringify([
        new Date(Number(row.time)).toISOString(),
        row.principal,
        row.operation,
        row.key_id,
        row.key_version,
        row.outcome,
        row.error_code,
        row.request_id,
        row.details,
      ]);
      const hash = createHash('sha256')
        .update(prev + canonical)
        .digest('hex');
      await db
        .updateTable('audit_log')
        // `chain` is never updated by Custos (its schema type says so); an attacker's SQL does not care.
        .set({ prev_hash: prev, hash, ...(relabel ? { chain: 1 as never } : {}) })
        .where('seq', '=', row.seq)
        .execute();
      prev = hash;
    } else prev = row.hash;
  }
}

describe('a keyed audit chain', () => {
  let dir: string | undefined;
  let kms: LocalKms | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await kms?.close();
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    kms = store = dir = undefined;
  });

  async function openWithRecords(): Promise<{ kms: LocalKms; store: Store; seqs: number[] }> {
    dir = await mkdtemp(join(tmpdir(), 'custos-keyed-'));
    kms = await LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0 });
    for (let i = 0; i < 5; i++) await kms.createKey({ description: `k${i}` });
    store = await openSqliteStore(join(dir, 'custos.db'), { migrate: false });
    const rows = await store.db.selectFrom('audit_log').select('seq').orderBy('seq').execute();
    return { kms, store, seqs: rows.map((r) => Number(r.seq)) };
  }

  it('detects an edited record re-chained with SHA-256 after it, keeping or relabelling the scheme', async () => {
    const { kms, store, seqs } = await openWithRecords();
    expect(await kms.verifyAuditChain()).toEqual({ ok: true, count: seqs.length });
    const edited = seqs[2] ?? 0;
    await store.db.updateTable('audit_log').set({ principal: 'someone-else' }).where('seq', '=', edited).execute();
    await rechainWithSha256(store.db, edited, false);
    expect(await kms.verifyAuditChain()).toEqual({ ok: false, brokenAt: edited });
    await rechainWithSha256(store.db, edited, true); // and labelled as old SHA-256 records
    expect(await kms.verifyAuditChain()).toEqual({ ok: false, brokenAt: edited });
  });

  it('new records are chain 2 (HMAC); a database of old SHA-256 records verifies as before, then goes on keyed', async () => {
    store = await openSqliteStore(':memory:');
    const entry = (i: number): AuditEntry => ({
      time: new Date(1_700_000_000_000 + i),
      principal: 'p',
      operation: 'Encrypt',
      keyId: null,
      keyVersion: null,
      outcome: 'allowed',
      errorCode: null,
      requestId: `r${i}`,
      details: { i },
    });
    const db = store.db;
    await store.transaction((tx) => auditLog.appendMany(tx, [entry(1), entry(2)], null)); // the old format
    expect(await auditLog.verifyChain(db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 2 });
    await store.transaction((tx) => auditLog.appendMany(tx, [entry(3), entry(4)], TEST_CHAIN_KEY));
    const rows = await db.selectFrom('audit_log').select(['seq', 'chain']).orderBy('seq').execute();
    expect(rows.map((r) => r.chain)).toEqual([1, 1, 2, 2]);
    expect(await auditLog.verifyChain(db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 4 });
    // Without the key (or with another), keyed records do not verify.
    expect(await auditLog.verifyChain(db, new Uint8Array(32))).toEqual({ ok: false, brokenAt: rows[2]?.seq });
    // A SHA-256 record after the first keyed one is a break, even though its own hash is right.
    await store.transaction((tx) => auditLog.appendMany(tx, [entry(5)], null));
    const last = await db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(await auditLog.verifyChain(db, TEST_CHAIN_KEY)).toEqual({ ok: false, brokenAt: Number(last.seq) });
  });
});
