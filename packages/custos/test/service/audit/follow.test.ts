// Issue 12: `custos audit --follow` no longer writes a record for every poll into the log it reads. The follow starts
// with an audited ListAuditRecords that returns a cursor; polls under that cursor (same caller, reading only past the
// start, within the hour) write no record. Nothing else escapes: a poll reaching back, an expired cursor, a plain
// call are audited; another caller's or an altered cursor is refused.
import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from '@custos/contract';
import { openTestKms, type TestKms } from '../helpers.js';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';

const AUDITOR: Caller = { principal: 'auditor', roles: ['admin'] };
const OTHER: Caller = { principal: 'other-auditor', roles: ['admin'] };

describe('following the audit log', () => {
  let t: TestKms | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  async function listings(): Promise<number> {
    const { records } = await t!.kms.listAuditRecords({ last: 1000 });
    // This listing's own record is written after its reply.
    return records.filter((r) => r.operation === 'ListAuditRecords').length;
  }

  it('audits the start of a follow once, not each poll under its cursor', async () => {
    t = await openTestKms();
    const { kms } = t;
    await kms.createKey({});
    const start = await kms.listAuditRecords({ after: 0, follow: true }, AUDITOR);
    const cursor = start.followCursor ?? '';
    expect(cursor).not.toBe('');
    let after = start.records.at(-1)?.seq ?? 0;
    for (let i = 0; i < 10; i++) {
      await kms.createKey({});
      const poll = await kms.listAuditRecords({ after, followCursor: cursor }, AUDITOR);
      expect(poll.followCursor).toBeUndefined();
      after = poll.records.at(-1)?.seq ?? after;
    }
    const { records } = await kms.listAuditRecords({ last: 1000 });
    const byAuditor = records.filter((r) => r.principal === 'auditor');
    expect(byAuditor.map((r) => r.operation)).toEqual(['ListAuditRecords']);
    expect(records.filter((r) => r.operation === 'CreateKey')).toHaveLength(11);
  });

  it('audits a poll that reaches back before the start, or whose cursor expired, and hands out a new cursor', async () => {
    t = await openTestKms();
    const { kms, clock } = t;
    await kms.createKey({});
    const start = await kms.listAuditRecords({ after: 0, follow: true }, AUDITOR);
    const cursor = start.followCursor ?? '';
    const before = await listings();
    const back = await kms.listAuditRecords({ after: 0, followCursor: cursor }, AUDITOR);
    expect(back.followCursor).toBeDefined();
    clock.advanceMs(2 * 60 * 60 * 1000);
    const expired = await kms.listAuditRecords({ after: 10_000, followCursor: cursor }, AUDITOR);
    expect(expired.followCursor).toBeDefined();
    expect((await listings()) - before).toBe(3); // the two polls, and the first listings() call
  });

  it("refuses another caller's cursor and an altered one (VALIDATION_ERROR), and those refusals are audited", async () => {
    t = await openTestKms();
    const { kms } = t;
    const start = await kms.listAuditRecords({ follow: true }, AUDITOR);
    const cursor = start.followCursor ?? '';
    await expectKmsError(kms.listAuditRecords({ followCursor: cursor }, OTHER), 'VALIDATION_ERROR');
    const [payload = '', tag = ''] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify(['auditor', 0, Date.now() + 1e9])).toString('base64url')}.${tag}`;
    expect(forged.split('.')[0]).not.toBe(payload);
    await expectKmsError(kms.listAuditRecords({ followCursor: forged }, AUDITOR), 'VALIDATION_ERROR');
    const { records } = await kms.listAuditRecords({ last: 1000 });
    expect(records.filter((r) => r.outcome === 'failed').map((r) => r.principal)).toEqual(['other-auditor', 'auditor']);
  });
});
