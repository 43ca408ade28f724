// Issue 12: PruneAuditRecords deletes the records older than a date that a signed checkpoint covers; the log then
// starts at the checkpointed record (the anchor), which the prune's own record names, and still verifies, at start-up
// too. The same deletion done directly in the database (no prune record) is a break.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../src/store/index.js';
import { openTestKms, type TestKms } from '../helpers.js';

const DAY = 24 * 60 * 60 * 1000;

describe('pruning the audit log', () => {
  let t: TestKms | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  /** Records, a checkpoint (a clean close), ten days later more records. Returns the checkpointed seq. */
  async function oldAndNew(): Promise<number> {
    t = await openTestKms();
    for (let i = 0; i < 5; i++) await t.kms.createKey({});
    const { records } = await t.kms.listAuditRecords({ last: 1 });
    await t.reopen(); // signs the head at close
    t.clock.advanceDays(10);
    for (let i = 0; i < 3; i++) await t.kms.createKey({});
    return (records.at(-1)?.seq ?? 0) + 1; // the listing's own record is the head that was signed
  }

  it('deletes what a checkpoint covers, keeps the anchor, and the log still verifies (and opens)', async () => {
    const anchor = await oldAndNew();
    const kms = t!.kms;
    const result = await kms.pruneAuditRecords({ before: new Date(t!.clock.now().getTime() - 5 * DAY) });
    expect(result).toEqual({ pruned: anchor - 1, keptFrom: anchor });
    const { records } = await kms.listAuditRecords({ limit: 1000 });
    expect(records[0]?.seq).toBe(anchor);
    expect(records.at(-1)?.operation).toBe('PruneAuditRecords');
    expect(await kms.verifyAuditChain()).toMatchObject({ ok: true });
    const reopened = await t!.reopen();
    expect(await reopened.verifyAuditChain()).toMatchObject({ ok: true });
    // Nothing before the date is left that a checkpoint covers: a second prune deletes nothing more.
    expect(await reopened.pruneAuditRecords({ before: new Date(t!.clock.now().getTime() - 5 * DAY) })).toEqual({
      pruned: 0,
      keptFrom: anchor,
    });
  });

  it('prunes nothing when no checkpoint is older than the date', async () => {
    t = await openTestKms();
    await t.kms.createKey({});
    expect(await t.kms.pruneAuditRecords({ before: new Date(t.clock.now().getTime() + DAY) })).toEqual({ pruned: 0 });
  });

  it('the same deletion made in the database, without a prune record, breaks the chain at the kept record', async () => {
    const anchor = await oldAndNew();
    const store = await openSqliteStore(join(t!.dir, 'custos.db'), { migrate: false });
    await store.db.deleteFrom('audit_log').where('seq', '<', anchor).execute();
    await store.close();
    expect(await t!.kms.verifyAuditChain()).toEqual({ ok: false, brokenAt: anchor });
  });
});
