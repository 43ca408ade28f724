// The built CLI as a process: an unknown option named even when a required one is missing, a quiet exit when the
// output pipe closes (a real pipe, closed by the reader), a damaged envelope stream that writes no plaintext to
// stdout where the input allows it (and says so when it cannot), and the server's line once drained and closed.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, errorCode, freePort, spawnCli, startTestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

/** Runs the CLI with its stdout read for `readBytes` bytes, then closed (as `| head -c n` does). */
function runClosingStdout(args: string[], readBytes: number) {
  const child = spawnCli(args, { env: t.env });
  let stderr = '';
  let got = 0;
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin!.end();
  child.stdout!.on('data', (d: Buffer) => {
    got += d.length;
    if (got >= readBytes) child.stdout!.destroy();
  });
  if (readBytes === 0) child.stdout!.destroy();
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      resolve({ code, stderr });
    });
  });
}

describe('the CLI as a process', { timeout: 120_000 }, () => {
  it('names an unknown option even when a required option is missing, with a suggestion', async () => {
    const r = await t.run(['encrypt', '--kye', 'x']);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('USAGE');
    expect(r.stderr).toContain("unknown option '--kye'");
    expect(r.stderr).toContain('--key');
    const missing = await t.run(['encrypt']); // still reported when nothing is unknown
    expect(missing.stderr).toMatch(/required option '--key/);
  });

  it('exits quietly when the reader closes the pipe, early (random) or at once (key list --json | head -c 0)', async () => {
    await t.kms.createKey({ description: 'listed' });
    const big = await runClosingStdout(['random', '--bytes', '200000', '--format', 'hex'], 1);
    expect(big).toEqual({ code: 0, stderr: '' });
    const list = await runClosingStdout(['key', 'list', '--json'], 0);
    expect(list).toEqual({ code: 0, stderr: '' });
  });

  describe('a damaged envelope stream decrypted to stdout', () => {
    let damaged: Buffer;
    let file: string;
    beforeAll(async () => {
      const { keyMetadata } = await t.kms.createKey({});
      const plain = Buffer.alloc(300 * 1024, 'custos ');
      const enc = await t.run(['encrypt', '--key', keyMetadata.keyId], { input: plain });
      expect(enc.code, enc.stderr).toBe(0);
      damaged = Buffer.from(enc.stdout);
      damaged[damaged.length - 20]! ^= 1; // in the final frame: frames before it verify
      file = join(t.dir, 'damaged.cste');
      await writeFile(file, damaged);
      const whole = await t.run(['decrypt'], { input: enc.stdout });
      expect(whole.stdout.equals(plain)).toBe(true);
    });

    it('writes nothing when it fits in --hold (default 64 MiB)', async () => {
      const r = await t.run(['decrypt'], { input: damaged });
      expect(r.code).toBe(1);
      expect(errorCode(r)).toBe('INVALID_CIPHERTEXT');
      expect(r.stdout).toHaveLength(0);
    });

    it('writes nothing from a file larger than --hold: it verifies first, then reads the file again', async () => {
      const r = await t.run(['decrypt', '--in', file, '--hold', '1024']);
      expect(errorCode(r)).toBe('INVALID_CIPHERTEXT');
      expect(r.stdout).toHaveLength(0);
    });

    it('from stdin larger than --hold it must write as it goes, and says how much was written', async () => {
      const r = await t.run(['decrypt', '--hold', '1024'], { input: damaged });
      expect(errorCode(r)).toBe('INVALID_CIPHERTEXT');
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.stderr).toContain(`after ${String(r.stdout.length)} bytes of plaintext were written to stdout`);
    });

    it('to --out writes no file at all', async () => {
      const out = join(t.dir, 'never.txt');
      const r = await t.run(['decrypt', '--in', file, '--out', out]);
      expect(errorCode(r)).toBe('INVALID_CIPHERTEXT');
      await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });

  it('custos server logs a line once drained and closed after SIGTERM, and says where its admin token is', async () => {
    const port = await freePort();
    const child = spawnCli(['server', '--data-dir', join(t.dir, 'own'), '--listen', `127.0.0.1:${port}`]);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (stderr.includes('listening on')) {
          clearInterval(timer);
          resolve();
        }
      }, 25);
      child.on('exit', () => {
        reject(new Error(`server exited: ${stderr}`));
      });
    });
    expect(stderr).toContain(`admin token in ${join(t.dir, 'own', 'admin.token')}`);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = stdout.split('\n').filter((l) => l.includes('drained'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: expect.stringMatching(/^drained/) });
  });
});
