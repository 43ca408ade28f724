// The replay guard behind the AWS protocol (LocalKms.recordSignedRequest, service/replay-guard.ts): a digest is
// admitted once for operations that change state (manage, tokens), always for the others; digests are kept past
// the signature's expiry by the clock-drift margin, then pruned. On SQLite and PostgreSQL.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { changesState } from '../../src/service/replay-guard.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';
import { openTestKms, type TestKms } from './helpers.js';

const MIN = 60_000;
const digest = (): string => randomBytes(32).toString('hex');

describe('changesState', () => {
  it('is true for manage and tokens operations, false for use, read, audit and monitor', () => {
    for (const name of [
      'CreateKey',
      'DisableKey',
      'ScheduleKeyDeletion',
      'PutKeyPolicy',
      'CreateAccessKey',
      'RevokeToken',
    ])
      expect(changesState(name), name).toBe(true);
    for (const name of ['Encrypt', 'Decrypt', 'Sign', 'GenerateRandom', 'DescribeKey', 'ListKeys', 'VerifyAuditChain'])
      expect(changesState(name), name).toBe(false);
  });

  it('counts an unknown operation name as changing state', () => {
    expect(changesState('NoSuchOperation')).toBe(true);
  });
});

function guardTests(open: () => Promise<TestKms>): void {
  let t: TestKms | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('admits a state-changing request once per digest; read-only ones always', async () => {
    t = await open();
    const expiresAt = new Date(t.clock.now().getTime() + 15 * MIN);
    const d = digest();
    expect(await t.kms.recordSignedRequest('DisableKey', d, expiresAt)).toBe(true);
    expect(await t.kms.recordSignedRequest('DisableKey', d, expiresAt)).toBe(false);
    expect(await t.kms.recordSignedRequest('EnableKey', d, expiresAt)).toBe(false); // the digest, whatever the name
    expect(await t.kms.recordSignedRequest('DisableKey', digest(), expiresAt)).toBe(true);
    const read = digest();
    for (let i = 0; i < 3; i++) expect(await t.kms.recordSignedRequest('DescribeKey', read, expiresAt)).toBe(true);
  });

  it('keeps a digest until its expiry plus the drift margin, then prunes it', async () => {
    t = await open();
    const expiresAt = new Date(t.clock.now().getTime() + 15 * MIN);
    const d = digest();
    expect(await t.kms.recordSignedRequest('CreateKey', d, expiresAt)).toBe(true);
    t.clock.advanceMs(19 * MIN); // past the expiry, within the 5-minute margin: still refused
    expect(await t.kms.recordSignedRequest('CreateKey', digest(), expiresAt)).toBe(true); // prunes now
    expect(await t.kms.recordSignedRequest('CreateKey', d, expiresAt)).toBe(false);
    t.clock.advanceMs(2 * MIN); // past the margin, and a minute since the last prune
    expect(await t.kms.recordSignedRequest('CreateKey', digest(), expiresAt)).toBe(true); // prunes now
    expect(await t.kms.recordSignedRequest('CreateKey', d, expiresAt)).toBe(true); // gone, so recorded anew
  });

  it('fails closed once LocalKms is closed', async () => {
    t = await open();
    await t.kms.close();
    await expect(t.kms.recordSignedRequest('CreateKey', digest(), new Date())).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });
}

describe('replay guard on SQLite', () => {
  guardTests(() => openTestKms());
});

describePostgres('replay guard on PostgreSQL')('replay guard on PostgreSQL', () => {
  guardTests(async () => {
    const schema = testSchemaName();
    const t = await openTestKms({ store: { kind: 'postgres', url: PG_URL, schema } });
    return {
      ...t,
      get kms() {
        return t.kms;
      },
      async cleanup() {
        await t.cleanup();
        await dropSchema(schema);
      },
    };
  });
});
