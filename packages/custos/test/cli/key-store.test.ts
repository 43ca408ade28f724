// `custos key-store` in-process (buildProgram().parseAsync) against a real server on a SoftHSM2 root: create with
// the PIN from a file and from stdin, describe, connect (a FAILED connection exits with its ConnectionErrorCode),
// update, disconnect, delete, and the usage errors. The PIN is never an argument, and never printed.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { buildProgram } from '../../src/cli/main.js';
import { describeSoftHsm, makeToken, type TestToken } from '../helpers/softhsm.js';

const TRUST_ANCHOR = new URL('../fixtures/trust-anchor.pem', import.meta.url).pathname;
const STORE_PIN = '40311-cli-store-pin';

describeSoftHsm('custos key-store')('custos key-store, in-process, on a SoftHSM2 root', () => {
  let dir: string;
  let server: RunningServer;
  let root: TestToken;
  let store: TestToken;
  let spare: TestToken;
  let pinFile: string;
  const printed: string[] = [];

  beforeAll(async () => {
    root = makeToken('29113-cli-root-pin');
    store = makeToken(STORE_PIN);
    spare = makeToken(STORE_PIN);
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-cks-'));
    pinFile = join(dir, 'pin');
    await writeFile(pinFile, `${STORE_PIN}\n`, { mode: 0o600 });
    server = await startServer({
      dataDir: join(dir, 'data'),
      listen: '127.0.0.1:0',
      logger: false,
      rootOfTrust: { kind: 'pkcs11', module: root.module, tokenLabel: root.label, pin: root.pin },
      kmsOptions: { maintenanceIntervalMs: 0 },
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `custos <args>` (stdin: `input`, when given); resolves to what it printed, rejects with its error. */
  async function custos(args: string[], input?: string): Promise<string> {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    process.stdout.write = (chunk: string | Uint8Array) => {
      out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    if (input !== undefined) Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(input)]) });
    try {
      await buildProgram().parseAsync(['key-store', ...args, '--endpoint', server.url, '--token', server.adminToken!], {
        from: 'user',
      });
    } finally {
      process.stdout.write = write;
      Object.defineProperty(process, 'stdin', stdin);
    }
    const text = out.join('');
    printed.push(text);
    return text;
  }
  const fails = (args: string[], input?: string) =>
    custos(args, input).then(
      () => undefined,
      (e: unknown) => e as { code: string },
    );

  it('create (PIN from a file), describe, connect, disconnect, update, delete', async () => {
    const id = (
      await custos([
        'create',
        '--name',
        'cli-store',
        '--token-label',
        store.label,
        '--trust-anchor',
        TRUST_ANCHOR,
        '--password-file',
        pinFile,
      ])
    ).trim();
    expect(id).toMatch(/^cks-[0-9a-f]{17}$/);
    expect(await custos(['describe'])).toMatch(new RegExp(`${id}\\s+cli-store\\s+${store.label}\\s+DISCONNECTED`));
    const connected = await custos(['connect', id]);
    expect(connected).toMatch(/ConnectionState\s+CONNECTED/);
    const json = JSON.parse(await custos(['describe', id, '--json'])) as {
      customKeyStores: { connectionState: string }[];
    };
    expect(json.customKeyStores[0]!.connectionState).toBe('CONNECTED');
    expect(await fails(['update', id, '--name', 'renamed'])).toMatchObject({ code: 'CUSTOM_KEY_STORE_INVALID_STATE' });
    expect(await fails(['delete', id])).toMatchObject({ code: 'CUSTOM_KEY_STORE_INVALID_STATE' });
    expect(await custos(['disconnect', id])).toMatch(/disconnected/);
    expect(await custos(['update', id, '--name', 'renamed'])).toMatch(/updated/);
    expect(await custos(['describe', '--name', 'renamed'])).toContain(id);
    expect(await custos(['delete', id, '--json'])).toContain('"deleted": true');
    expect(await fails(['describe', id])).toMatchObject({ code: 'CUSTOM_KEY_STORE_NOT_FOUND' });
  });

  it('a wrong PIN (from stdin) makes connect exit with INVALID_CREDENTIALS; update --password-stdin fixes it', async () => {
    const id = (
      await custos(
        ['create', '--name', 'cli-wrong', '--token-label', spare.label, '--trust-anchor', TRUST_ANCHOR],
        'wrong-pin\n',
      )
    ).trim();
    expect(await fails(['connect', id])).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await custos(['describe', id])).toMatch(/FAILED\s+INVALID_CREDENTIALS/);
    await custos(['disconnect', id]);
    await custos(['update', id, '--password-stdin'], `${STORE_PIN}\n`);
    expect(await custos(['connect', id])).toMatch(/ConnectionState\s+CONNECTED/);
    await custos(['disconnect', id]);
  });

  it('refuses usage errors: no update fields, both PIN sources, an empty PIN, unreadable files', async () => {
    expect(await fails(['update', 'cks-0123456789abcdef0'])).toMatchObject({ code: 'USAGE' });
    expect(
      await fails(['update', 'cks-0123456789abcdef0', '--password-file', pinFile, '--password-stdin']),
    ).toMatchObject({
      code: 'USAGE',
    });
    const base = ['create', '--name', 'x', '--token-label', 'x', '--trust-anchor', TRUST_ANCHOR];
    expect(await fails(base, '\n')).toMatchObject({ code: 'USAGE' });
    expect(await fails([...base, '--password-file', join(dir, 'missing')])).toMatchObject({ code: 'USAGE' });
    expect(
      await fails(['create', '--name', 'x', '--token-label', 'x', '--trust-anchor', join(dir, 'none.pem')], 'p\n'),
    ).toMatchObject({
      code: 'USAGE',
    });
    expect(await fails(base, 'x'.repeat(2000))).toMatchObject({ code: 'USAGE' });
  });

  it('never printed the PIN', () => {
    expect(printed.join('\n')).not.toContain(STORE_PIN);
    expect(readFileSync(pinFile, 'utf8')).toContain(STORE_PIN); // the check above looked for the right text
  });
});
