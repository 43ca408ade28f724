// Issue 12: signed audit checkpoints, in the database and in a file outside it. Truncating the tail, deleting the whole
// log and re-chaining the log after an edit are each detected at the next start (LocalKms.open refuses) and by
// VerifyAuditChain on a running instance; an operator may open anyway, which is audited.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalKms } from '../../../src/index.js';
import type { LocalKmsOptions } from '../../../src/service/local-kms.js';
import { openSqliteStore, type Db } from '../../../src/store/index.js';
import { kmsRejection } from '../../../../contract/test/helpers/expect-kms-error.js';

const quiet = { error: () => undefined };

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function openKms(more: Partial<LocalKmsOptions> = {}): Promise<LocalKms> {
  dir ??= await mkdtemp(join(tmpdir(), 'custos-checkpoints-'));
  return LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0, logger: quiet, ...more });
}

/** Runs `fn` on a second connection to the data directory's database (the attacker's). */
async function tamper(fn: (db: Db) => Promise<unknown>): Promise<void> {
  const store = await openSqliteStore(join(dir ?? '', 'custos.db'), { migrate: false });
  try {
    await fn(store.db);
  } finally {
    await store.close();
  }
}

/** Five keys, then a clean close (which signs the head). */
async function logWithCheckpoint(): Promise<void> {
  const kms = await openKms();
  for (let i = 0; i < 5; i++) await kms.createKey({});
  await kms.close();
}

/** Re-chains every record with SHA-256, labelled as old (chain 1) records: a log that looks like an old release's. */
async function rechainAll(db: Db): Promise<void> {
  let prev = '0'.repeat(64);
  for (const row of await db.selectFrom('audit_log').selectAll().orderBy('seq').execute()) {
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
    // `chain` is never updated by Custos (its schema type says so); an attacker's SQL does not care.
    const chain = 1 as never;
    await db.updateTable('audit_log').set({ prev_hash: prev, hash, chain }).where('seq', '=', row.seq).execute();
    prev = hash;
  }
}

async function expectRefused(): Promise<void> {
  const error = await kmsRejection(openKms());
  expect(error.code).toBe('INTERNAL');
  expect(error.message).toMatch(/does not match its last checkpoint/);
}

describe('audit checkpoints', () => {
  it('a clean close signs the head into the database and the file; the next open checks and accepts it', async () => {
    await logWithCheckpoint();
    const lines = (await readFile(join(dir ?? '', 'audit-checkpoints'), 'utf8')).trim().split('\n');
    const last = JSON.parse(lines.at(-1) ?? '') as { seq: number; hash: string; time: number; signature: string };
    const kms = await openKms();
    try {
      const { records } = await kms.listAuditRecords({ limit: 100 });
      expect(last.seq).toBe(records.at(-1)?.seq);
      expect(await kms.verifyAuditChain()).toMatchObject({ ok: true });
    } finally {
      await kms.close();
    }
    let stored: { seq: number; hash: string } | undefined;
    await tamper(async (db) => {
      const row = await db.selectFrom('audit_checkpoints').selectAll().where('seq', '=', last.seq).executeTakeFirst();
      stored = row && { seq: Number(row.seq), hash: row.hash };
    });
    expect(stored).toEqual({ seq: last.seq, hash: last.hash });
    expect(last.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('truncating the tail is detected at the next start', async () => {
    await logWithCheckpoint();
    await tamper(async (db) => {
      const top = await db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirstOrThrow();
      await db
        .deleteFrom('audit_log')
        .where('seq', '>=', Number(top.seq) - 1)
        .execute();
    });
    await expectRefused();
  });

  it('deleting the whole log (and the checkpoints in the database) is detected at the next start', async () => {
    await logWithCheckpoint();
    await tamper(async (db) => {
      await db.deleteFrom('audit_log').execute();
      await db.deleteFrom('audit_checkpoints').execute();
    });
    await expectRefused();
  });

  it('an edit re-chained from the start with SHA-256 (an old-format log) is detected at the next start', async () => {
    await logWithCheckpoint();
    await tamper(async (db) => {
      await db
        .updateTable('audit_log')
        .set({ principal: 'someone-else' })
        .where('operation', '=', 'CreateKey')
        .execute();
      await rechainAll(db);
    });
    await expectRefused();
  });

  it('VerifyAuditChain on a running instance finds a truncated tail, a deleted log and a re-chained log', async () => {
    const kms = await openKms({ auditCheckpoints: { everyRecords: 1 } });
    try {
      for (let i = 0; i < 4; i++) await kms.createKey({});
      // Every record triggers a checkpoint: wait until the file names the newest one.
      const { records } = await kms.listAuditRecords({ limit: 100 });
      const newest = records.at(-1)?.seq ?? 0;
      for (let i = 0; i < 100; i++) {
        const text = await readFile(join(dir ?? '', 'audit-checkpoints'), 'utf8').catch(() => '');
        if (text.includes(`"seq":${String(newest)},`)) break;
        await sleep(20);
      }
      expect(await kms.verifyAuditChain()).toMatchObject({ ok: true });
      await tamper(async (db) => {
        await db.updateTable('audit_log').set({ principal: 'x' }).where('seq', '=', 1).execute();
        await rechainAll(db);
      });
      expect(await kms.verifyAuditChain()).toMatchObject({ ok: false });
      await tamper((db) =>
        db
          .deleteFrom('audit_log')
          .where('seq', '>=', newest - 1)
          .execute(),
      );
      expect(await kms.verifyAuditChain()).toMatchObject({ ok: false });
      await tamper((db) => db.deleteFrom('audit_log').execute());
      expect(await kms.verifyAuditChain()).toMatchObject({ ok: false });
    } finally {
      await kms.close();
    }
  });

  it('acceptAuditMismatch opens anyway, audits it, and signs a new checkpoint so the next start is clean', async () => {
    await logWithCheckpoint();
    await tamper((db) => db.deleteFrom('audit_log').execute());
    await expectRefused();
    const kms = await openKms({ acceptAuditMismatch: true });
    const { records } = await kms.listAuditRecords({ limit: 100 });
    expect(records.map((r) => r.operation)).toContain('AcceptAuditMismatch');
    await kms.close();
    const again = await openKms();
    await again.close();
  });
});
