// Issue 12: the audit export (ExportAuditRecords, written as `custos audit export` writes it) verifies offline with the
// pinned checkpoint key, at level "chain" with the root key too; an edited record, a removed line and a checkpoint
// signed by another key are each detected; an export after a prune starts at the anchor and verifies.
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportLines, type ExportSummary } from '../../../src/cli/commands/audit-export.js';
import { chainKeyFromRootKeyFile, verifyExportFile } from '../../../src/service/audit/offline-verify.js';
import type { LocalKms } from '../../../src/service/local-kms.js';
import { openTestKms, type TestKms } from '../helpers.js';

const DAY = 24 * 60 * 60 * 1000;

describe('audit export and offline verification', () => {
  let t: TestKms | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  /** Three rounds of records, each signed at a clean close, then ten days later more records. */
  async function history(): Promise<LocalKms> {
    t = await openTestKms();
    let kms = t.kms;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) await kms.createKey({ description: `round ${String(round)} key ${String(i)}` });
      kms = await t.reopen(); // signs the head at close
    }
    t.clock.advanceDays(10);
    for (let i = 0; i < 3; i++) await kms.createKey({});
    return kms;
  }

  const fiveDaysAgo = () => new Date(t!.clock.now().getTime() - 5 * DAY);

  async function exportTo(kms: LocalKms, name: string): Promise<{ file: string; summary: ExportSummary }> {
    const file = join(t!.dir, name);
    const summary: ExportSummary = { records: 0, checkpoints: 0 };
    const chunks: Buffer[] = [];
    for await (const chunk of exportLines(kms, fiveDaysAgo(), summary)) chunks.push(chunk);
    await writeFile(file, Buffer.concat(chunks));
    return { file, summary };
  }

  async function publicKey(kms: LocalKms): Promise<KeyObject> {
    return createPublicKey((await kms.getAuditPublicKey()).publicKey);
  }

  const chainKey = () => chainKeyFromRootKeyFile({ path: join(t!.dir, 'root.key') });

  async function editLines(file: string, edit: (lines: Record<string, unknown>[]) => Record<string, unknown>[]) {
    const lines = (await readFile(file, 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    await writeFile(
      file,
      `${edit(lines)
        .map((l) => JSON.stringify(l))
        .join('\n')}\n`,
    );
  }

  it('an export verifies offline, at level signatures with the public key and at level chain with the root key', async () => {
    const kms = await history();
    const { file, summary } = await exportTo(kms, 'audit.jsonl');
    expect(summary.first).toBe(1);
    expect(summary.checkpoints).toBeGreaterThanOrEqual(3);
    const key = await publicKey(kms);
    expect(await verifyExportFile(file, key, null)).toMatchObject({
      ok: true,
      level: 'signatures',
      first: 1,
      last: summary.through,
      records: summary.records,
    });
    expect(await verifyExportFile(file, key, await chainKey())).toMatchObject({ ok: true, level: 'chain' });
    // Nothing newer than the cut is in the file: the last record is the newest checkpointed one before the date.
    const { records } = await kms.listAuditRecords({ limit: 1000 });
    expect(records.find((r) => r.seq === summary.through!)!.time.getTime()).toBeLessThan(fiveDaysAgo().getTime());
  });

  it('the public key is the one the checkpoints are signed with (PEM, JWK and fingerprint agree)', async () => {
    const kms = await history();
    const key = await kms.getAuditPublicKey();
    const fromJwk = createPublicKey({ key: key.jwk, format: 'jwk' });
    expect(fromJwk.export({ type: 'spki', format: 'pem' })).toBe(key.publicKey);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const { file } = await exportTo(kms, 'audit.jsonl');
    expect((await verifyExportFile(file, fromJwk, null)).ok).toBe(true);
  });

  it('an edited record is detected at level chain (its keyed hash no longer matches)', async () => {
    const kms = await history();
    const { file } = await exportTo(kms, 'audit.jsonl');
    await editLines(file, (lines) =>
      lines.map((l) => (l.type === 'record' && l.seq === 3 ? { ...l, principal: 'someone-else' } : l)),
    );
    expect(await verifyExportFile(file, await publicKey(kms), await chainKey())).toMatchObject({
      ok: false,
      level: 'chain',
      reason: expect.stringContaining('record 3 does not match its hash') as unknown,
    });
  });

  it('an edited record whose hash was changed to match breaks the links (level signatures)', async () => {
    const kms = await history();
    const { file } = await exportTo(kms, 'audit.jsonl');
    await editLines(file, (lines) =>
      lines.map((l) => (l.type === 'record' && l.seq === 3 ? { ...l, principal: 'x', hash: 'f'.repeat(64) } : l)),
    );
    expect(await verifyExportFile(file, await publicKey(kms), null)).toMatchObject({ ok: false, level: 'signatures' });
  });

  it('a removed record line is detected at both levels', async () => {
    const kms = await history();
    const { file } = await exportTo(kms, 'audit.jsonl');
    await editLines(file, (lines) => lines.filter((l) => !(l.type === 'record' && l.seq === 5)));
    for (const key of [null, await chainKey()])
      expect(await verifyExportFile(file, await publicKey(kms), key)).toMatchObject({
        ok: false,
        reason: expect.stringContaining('records are missing') as unknown,
      });
  });

  it('a removed last record (the tail cut) is detected', async () => {
    const kms = await history();
    const { file, summary } = await exportTo(kms, 'audit.jsonl');
    await editLines(file, (lines) => lines.filter((l) => !(l.type === 'record' && l.seq === summary.through)));
    expect(await verifyExportFile(file, await publicKey(kms), null)).toMatchObject({ ok: false });
  });

  it('a checkpoint signed by another key is detected, even over the right hash', async () => {
    const kms = await history();
    const { file } = await exportTo(kms, 'audit.jsonl');
    const other = generateKeyPairSync('ed25519').privateKey;
    await editLines(file, (lines) =>
      lines.map((l) => {
        if (l.type !== 'checkpoint') return l;
        const text = `custos/audit-checkpoint/v1\n${String(l.seq)}\n${String(l.hash)}\n${String(l.time)}`;
        return { ...l, signature: sign(null, Buffer.from(text), other).toString('base64') };
      }),
    );
    expect(await verifyExportFile(file, await publicKey(kms), await chainKey())).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not signed by the pinned key') as unknown,
    });
  });

  it('export, prune with the same date, and the next export starts at the anchor and verifies', async () => {
    const kms = await history();
    const first = await exportTo(kms, 'first.jsonl');
    const pruned = await kms.pruneAuditRecords({ before: fiveDaysAgo() });
    // Export and prune make the same cut: the last exported record is the anchor the prune keeps.
    expect(pruned.keptFrom).toBe(first.summary.through);
    const reopened = await t!.reopen(); // signs the new head
    t!.clock.advanceDays(10);
    await reopened.createKey({});
    const second = await exportTo(reopened, 'second.jsonl');
    expect(second.summary.first).toBe(first.summary.through);
    expect(second.summary.through).toBeGreaterThan(first.summary.through!);
    const key = await publicKey(reopened);
    expect(await verifyExportFile(second.file, key, await chainKey())).toMatchObject({ ok: true, level: 'chain' });
    expect(await verifyExportFile(first.file, key, await chainKey())).toMatchObject({ ok: true });
  });

  it('pages end at the same record, and each page carries the checkpoints of its records', async () => {
    const kms = await history();
    const p1 = await kms.exportAuditRecords({ before: fiveDaysAgo(), limit: 5 });
    expect(p1.records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(p1.nextAfter).toBe(5);
    const p2 = await kms.exportAuditRecords({ before: fiveDaysAgo(), limit: 1000, after: 5, through: p1.through! });
    expect(p2.records.at(-1)?.seq).toBe(p1.through);
    expect(p2.nextAfter).toBeUndefined();
    for (const page of [p1, p2])
      for (const c of page.checkpoints) expect(page.records.find((r) => r.seq === c.seq)?.hash).toBe(c.hash);
  });

  it('exports nothing when no checkpoint is older than the date', async () => {
    t = await openTestKms();
    await t.kms.createKey({});
    expect(await t.kms.exportAuditRecords({ before: new Date(t.clock.now().getTime() + DAY) })).toEqual({
      records: [],
      checkpoints: [],
    });
  });
});
