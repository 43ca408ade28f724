// `custos operator` in-process (buildProgram().parseAsync) against a sealed server on port 0: init (text and JSON),
// unseal with --share to the threshold, seal, and the errors (server codes rebuilt, usage errors) — the paths the
// built-CLI test takes, here where coverage reaches them.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { UsageError } from '../../src/cli/errors.js';
import { buildProgram } from '../../src/cli/main.js';

describe('custos operator, in-process', () => {
  let dir: string;
  let dataDir: string;
  let shares: string[];
  let server: RunningServer;

  /** Runs `custos <args>`; resolves to what it printed on stdout and stderr. */
  async function custos(...args: string[]): Promise<{ out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const [writeOut, writeErr] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
    const capture =
      (into: string[]) =>
      (chunk: string | Uint8Array): boolean => {
        into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      };
    process.stdout.write = capture(out);
    process.stderr.write = capture(err);
    try {
      await buildProgram().parseAsync(args, { from: 'user' });
    } finally {
      process.stdout.write = writeOut;
      process.stderr.write = writeErr;
    }
    return { out: out.join(''), err: err.join('') };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-operator-ip-'));
    dataDir = join(dir, 'data');
    const init = await custos('operator', 'init', '--data-dir', dataDir, '--shares', '3', '--threshold', '2', '--json');
    expect(init.err).toMatch(/shown ONCE/);
    ({ unsealShares: shares } = JSON.parse(init.out) as { unsealShares: string[] });
    server = await startServer({ dataDir, listen: '127.0.0.1:0', logger: false, rootOfTrust: { kind: 'shamir' } });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('init prints the shares as text, and refuses a threshold above the share count', async () => {
    const { out } = await custos(
      'operator',
      'init',
      '--data-dir',
      join(dir, 'text'),
      '--shares',
      '2',
      '--threshold',
      '2',
    );
    expect(out.trim().split('\n')).toEqual([
      expect.stringMatching(/^share 1: custos-share-v1\./),
      expect.stringMatching(/^share 2: custos-share-v1\./),
    ]);
    await expect(
      custos('operator', 'init', '--data-dir', join(dir, 'bad'), '--shares', '2', '--threshold', '3'),
    ).rejects.toThrow(UsageError);
    await expect(
      custos('operator', 'init', '--data-dir', dataDir, '--shares', '2', '--threshold', '2'),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });

  it('unseal: progress, a server error rebuilt with its code, then unsealed; seal needs a token', async () => {
    const at = ['--endpoint', server.url];
    expect((await custos('operator', 'unseal', '--share', shares[1]!, ...at)).out).toBe(
      'sealed: 1 of 2 shares given\n',
    );
    await expect(custos('operator', 'unseal', '--share', shares[1]!, ...at)).rejects.toMatchObject({
      code: 'DUPLICATE_SHARE',
    });
    const done = await custos('operator', 'unseal', '--share', shares[0]!, '--json', ...at);
    expect(JSON.parse(done.out)).toEqual({ sealed: false, rootOfTrust: 'shamir' });
    await expect(custos('operator', 'seal', '--data-dir', join(dir, 'none'), ...at)).rejects.toThrow(UsageError);
    await expect(custos('operator', 'seal', '--token', 'cst_wrong', ...at)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
    const sealed = await custos('operator', 'seal', '--token', token, '--json', ...at);
    expect(JSON.parse(sealed.out)).toEqual({ sealed: true, threshold: 2, progress: 0, rootOfTrust: 'shamir' });
  });
});
