// Keyrings on PostgreSQL with two nodes (each its own pool) on one schema: concurrent first uses of one keyring make
// one key, and maintenance renews a due keyring exactly once across the cluster. Skipped loudly without a server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { LocalKms } from '../../../src/index.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../../store/pg.js';
import { TestClock, text, utf8 } from '../helpers.js';

const describePg = describePostgres('keyrings on PostgreSQL');
const RING = { applicationId: 'REGISTRATION', referenceId: '10001' };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function twoNodes(): Promise<{ a: LocalKms; b: LocalKms; clock: TestClock }> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-keyrings-pg-'));
  const schema = testSchemaName();
  const clock = new TestClock();
  const open = () =>
    LocalKms.open({
      dataDir: dir,
      store: { kind: 'postgres', url: PG_URL, schema, poolSize: 4 },
      now: clock.now,
      maintenanceIntervalMs: 0,
      logger: { error: () => undefined },
    });
  const a = await open();
  const b = await open();
  cleanups.push(async () => {
    await a.close();
    await b.close();
    await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });
  return { a, b, clock };
}

describePg('keyrings: two nodes on one PostgreSQL database', () => {
  it('the default policies are seeded once; concurrent first uses of a keyring make one key', async () => {
    const { a, b } = await twoNodes();
    expect((await a.listKeyringPolicies({})).policies).toHaveLength(12);
    const certs = await Promise.all([
      a.getKeyringCertificate(RING),
      b.getKeyringCertificate(RING),
      a.getKeyringCertificate(RING),
      b.getKeyringCertificate(RING),
    ]);
    expect(new Set(certs.map((c) => c.keyId)).size).toBe(1);
    expect((await a.listKeyringCertificates(RING)).certificates).toHaveLength(1);
    expect((await b.listKeys({ applicationId: 'ROOT' })).keys).toHaveLength(1);
    const { ciphertext } = await a.keyringEncrypt({ ...RING, data: utf8('across nodes') });
    expect(text((await b.keyringDecrypt({ ...RING, ciphertext })).plaintext)).toBe('across nodes');
  });

  it('maintenance on both nodes at once renews a due keyring exactly once', async () => {
    const { a, b, clock } = await twoNodes();
    const first = await a.getKeyringCertificate(RING);
    const old = (await a.keyringEncrypt({ ...RING, data: utf8('old') })).ciphertext;
    clock.advanceDays(730 - 30 + 1); // the Base key is due, its Module key (1095/60) is not
    const reports = await Promise.all([a.runMaintenance(), b.runMaintenance(), a.runMaintenance(), b.runMaintenance()]);
    expect(reports.reduce((n, r) => n + r.renewed, 0)).toBe(1);
    expect(reports.every((r) => r.failed === 0)).toBe(true);
    const { certificates } = await b.listKeyringCertificates(RING);
    expect(certificates).toHaveLength(2);
    expect(certificates[1]!.keyId).toBe(first.keyId);
    expect(text((await b.keyringDecrypt({ ...RING, ciphertext: old })).plaintext)).toBe('old');
  });
});
