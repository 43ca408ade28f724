// The audit commands run in-process (buildProgram().parseAsync) against a real server on port 0: verify with and
// without receipts (a receipts file, an altered receipt), --last, public-key, export, offline verify at both levels
// and prune — the same paths the subprocess tests take, here where coverage and stack traces reach them.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { CliError } from '../../src/cli/errors.js';
import { custosAgainst } from '../helpers/cli-in-process.js';
import { isoDate } from '../../src/cli/commands/audit-export.js';
import { describeReceipts, invalidReceipts, readReceiptArgs } from '../../src/cli/commands/audit-receipts.js';

describe('custos audit, in-process', () => {
  let dir: string;
  let server: RunningServer;
  let admin: RemoteKms;
  const receipts: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-audit-'));
    server = await startServer({
      dataDir: join(dir, 'data'),
      listen: '127.0.0.1:0',
      logger: false,
      kmsOptions: { maintenanceIntervalMs: 0, auditCheckpoints: { everyRecords: 1 } },
    });
    admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
    const caller = { principal: 'cli-test', roles: ['admin' as const], onReceipt: (r: string) => receipts.push(r) };
    for (let i = 0; i < 3; i++) await admin.createKey({ description: `key ${String(i)}` }, caller);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `custos <args>` against the server; resolves to what it printed, rejects with its error. */
  const custos = custosAgainst(() => server);

  it('verify: intact; with receipts, one by one and from a file; an altered one is refused', async () => {
    expect(await custos('audit', 'verify')).toMatch(/^audit log intact: \d+ records/m);
    expect(receipts).toHaveLength(3);
    expect(await custos('audit', 'verify', '--receipt', receipts[0]!)).toMatch(/^valid +record \d+ \(CreateKey/m);
    const file = join(dir, 'receipts.txt');
    await writeFile(file, `# receipts\n\n${receipts.join('\n')}\n`);
    expect(await readReceiptArgs([`@${file}`, 'r1.x.y'])).toEqual([...receipts, 'r1.x.y']);
    const json = JSON.parse(await custos('audit', 'verify', '--receipt', `@${file}`, '--json')) as {
      ok: boolean;
      receipts: { status: string }[];
    };
    expect(json.ok).toBe(true);
    expect(json.receipts.map((r) => r.status)).toEqual(['valid', 'valid', 'valid']);
    const altered = receipts[1]!.slice(0, -4) + 'AAAA';
    const error = await custos('audit', 'verify', '--receipt', altered).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('AUDIT_RECEIPT_INVALID');
    await expect(readReceiptArgs([`@${join(dir, 'missing.txt')}`])).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('describes each receipt result for people, and turns invalid ones into an error', () => {
    const text = describeReceipts(
      ['r1.a.b', 'r1.c.d', 'r1.e.f'],
      [
        { status: 'valid', seq: 3, operation: 'CreateKey', requestId: 'q' },
        { status: 'invalid' },
        { status: 'missing', seq: 9 },
      ],
    );
    expect(text.split('\n')).toEqual([
      'valid    record 3 (CreateKey, request q): its record is in the log',
      'invalid  receipt 2: not a receipt of this server (malformed or altered): refused [r1.c.d…]',
      'missing  record 9 (?, request ?): its record is missing: the log was truncated or records deleted',
      '',
    ]);
    expect(invalidReceipts([{ status: 'valid' }])).toBeUndefined();
    expect(invalidReceipts([{ status: 'invalid' }])?.code).toBe('AUDIT_RECEIPT_INVALID');
  });

  it('--last, public-key, export, offline verify at both levels, then prune', async () => {
    expect((await custos('audit', '--last', '2', '--json')).length).toBeGreaterThan(0);
    const keyFile = join(dir, 'audit-key.pem');
    expect(await custos('audit', 'public-key', '--out', keyFile)).toMatch(/[0-9a-f]{16}/);
    expect(await readFile(keyFile, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const exportFile = join(dir, 'audit.jsonl');
    await custos('audit', 'export', '--before', '2100-01-01', '--out', exportFile);
    expect((await readFile(exportFile, 'utf8')).split('\n')[0]).toMatch(/custos-audit-export\/v1/);
    expect(await custos('audit', 'verify', '--file', exportFile, '--public-key', keyFile)).toMatch(/signatures/);
    expect(
      await custos('audit', 'verify', '--file', exportFile, '--public-key', keyFile, '--data-dir', join(dir, 'data')),
    ).toMatch(/chain/);
    // An edited record breaks the offline check.
    const lines = (await readFile(exportFile, 'utf8')).split('\n');
    const at = lines.findIndex((l) => l.includes('"type":"record"') && l.includes('CreateKey'));
    lines[at] = lines[at]!.replace('CreateKey', 'DeleteKey');
    await writeFile(exportFile, lines.join('\n'));
    const broken = await custos(
      'audit',
      'verify',
      '--file',
      exportFile,
      '--public-key',
      keyFile,
      '--data-dir',
      join(dir, 'data'),
    ).catch((e: unknown) => e);
    expect((broken as CliError).code).toBe('AUDIT_CHAIN_BROKEN');
    expect(await custos('audit', 'prune', '--before', '2100-01-01')).toMatch(/\d/);
    expect(await custos('audit', 'verify')).toMatch(/^audit log intact/m);
  });

  it('--before takes ISO 8601 dates only', () => {
    expect(isoDate('2026-01-31').toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(() => isoDate('yesterday')).toThrow(/ISO 8601/);
  });
});
