// `custos encrypt` / `custos decrypt` end to end: the built binary against a real server, both ciphertext forms,
// boundaries (0, 4096, 4097 bytes, 1 MiB), tampering of the envelope stream and wrong contexts.
import { randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, errorCode, startTestServer } from './helpers.js';

const HEADER = 4 + 1 + 4 + 2; // magic, version, frame size, blob length (then blob and 12-byte nonce)
const FRAME = 64 * 1024;
const TAG = 16;

let t: TestServer;
let keyId: string;

beforeAll(async () => {
  t = await startTestServer();
  keyId = (await t.kms.createKey({ keySpec: 'SYMMETRIC_DEFAULT' })).keyMetadata.keyId;
  await t.kms.createAlias({ aliasName: 'alias/files', targetKeyId: keyId });
});
afterAll(() => t?.stop());

/** Offsets of the frames of an envelope stream (each: flag, uint32 length, ciphertext, tag). */
function frameOffsets(ct: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = HEADER + ct.readUInt16BE(9) + 12; at < ct.length; at += 5 + ct.readUInt32BE(at + 1) + TAG)
    offsets.push(at);
  return offsets;
}

async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

describe.concurrent('custos encrypt | custos decrypt', { timeout: 120_000 }, () => {
  it.each([
    ['a small input', 5, 'kms'],
    ['an empty input', 0, 'stream'],
    ['exactly 4096 bytes', 4096, 'kms'],
    ['4097 bytes', 4097, 'stream'],
  ] as const)('round-trips %s through stdin and stdout', async (_name, size, form) => {
    const plaintext = randomBytes(size);
    const enc = await t.run(['encrypt', '--key', 'alias/files', '--context', 'tenant=acme', '--context', 'app=x=y'], {
      input: plaintext,
    });
    expect(enc.code, enc.stderr).toBe(0);
    expect(enc.stderr).toBe('');
    if (form === 'kms') expect(enc.stdout[0]).toBe(0x01);
    else expect(enc.stdout.subarray(0, 5).toString('latin1')).toBe('CSTE\x01');
    const dec = await t.run(['decrypt', '--context', 'app=x=y', '--context', 'tenant=acme'], { input: enc.stdout });
    expect(dec.code, dec.stderr).toBe(0);
    expect(dec.stdout.equals(plaintext)).toBe(true);
  });

  it('round-trips 1 MiB through --in and --out files, the plaintext file created mode 0600', async () => {
    const plaintext = randomBytes(1024 * 1024);
    const [pin, cout, pout] = ['big.bin', 'big.enc', 'big.out'].map((f) => join(t.dir, f)) as [string, string, string];
    await writeFile(pin, plaintext);
    const enc = await t.run(['encrypt', '--key', keyId, '--in', pin, '--out', cout]);
    expect(enc.code, enc.stderr).toBe(0);
    expect(enc.stdout.length).toBe(0);
    const ct = await readFile(cout);
    expect(ct.subarray(0, 4).toString()).toBe('CSTE');
    expect(frameOffsets(ct)).toHaveLength(16);
    const dec = await t.run(['decrypt', '--in', cout, '--out', pout]);
    expect(dec.code, dec.stderr).toBe(0);
    expect((await readFile(pout)).equals(plaintext)).toBe(true);
    expect((await import('node:fs')).statSync(pout).mode & 0o777).toBe(0o600);
  });

  it('fails with INVALID_CIPHERTEXT under a wrong or missing context, in both forms', async () => {
    for (const size of [10, 5000]) {
      const enc = await t.run(['encrypt', '--key', keyId, '--context', 'tenant=acme'], { input: randomBytes(size) });
      expect(enc.code).toBe(0);
      const wrong = await t.run(['decrypt', '--context', 'tenant=other'], { input: enc.stdout });
      expect(wrong.code).toBe(1);
      expect(errorCode(wrong)).toBe('INVALID_CIPHERTEXT');
      expect(wrong.stdout.length).toBe(0);
      if (size > 4096) {
        const missing = await t.run(['decrypt'], { input: enc.stdout });
        expect(missing.code).toBe(1);
        expect(errorCode(missing)).toBe('INVALID_CIPHERTEXT');
      }
    }
  });

  it('fails with INVALID_CIPHERTEXT on garbage and on empty input', async () => {
    for (const input of [randomBytes(100), Buffer.alloc(0)]) {
      const r = await t.run(['decrypt'], { input });
      expect(r.code).toBe(1);
      expect(errorCode(r)).toBe('INVALID_CIPHERTEXT');
    }
  });

  describe('a tampered envelope stream exits non-zero and leaves no --out file', () => {
    let ct: Buffer;
    let plaintext: Buffer;
    beforeAll(async () => {
      plaintext = randomBytes(5 * FRAME + 100);
      const enc = await t.run(['encrypt', '--key', keyId], { input: plaintext });
      expect(enc.code, enc.stderr).toBe(0);
      ct = enc.stdout;
    });

    const cases: readonly (readonly [string, (ct: Buffer) => Buffer])[] = [
      [
        'a byte flipped in a middle frame',
        (c) => {
          const bad = Buffer.from(c);
          bad[frameOffsets(c)[2]! + 5 + 1000]! ^= 0x01;
          return bad;
        },
      ],
      ['the last frame truncated', (c) => c.subarray(0, c.length - 10)],
      ['the last frame dropped', (c) => c.subarray(0, frameOffsets(c).at(-1))],
      [
        'a middle frame dropped',
        (c) => {
          const o = frameOffsets(c);
          return Buffer.concat([c.subarray(0, o[2]), c.subarray(o[3])]);
        },
      ],
      ['bytes appended after the final frame', (c) => Buffer.concat([c, Buffer.from([0, 0, 0, 0, 0])])],
    ];

    it.each(cases)('%s', async (name, tamper) => {
      const dir = join(t.dir, `tamper-${name.replace(/\W+/g, '-')}`);
      await (await import('node:fs/promises')).mkdir(dir);
      const cin = join(dir, 'in.enc');
      await writeFile(cin, tamper(ct));
      const r = await t.run(['decrypt', '--in', cin, '--out', join(dir, 'out.bin')]);
      expect(r.code).toBe(1);
      expect(errorCode(r)).toBe('INVALID_CIPHERTEXT');
      expect(await filesIn(dir)).toEqual(['in.enc']); // no out.bin, no temporary file
    });

    it('an intact stream still decrypts (control)', async () => {
      const r = await t.run(['decrypt'], { input: ct });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.equals(plaintext)).toBe(true);
    });
  });

  it('an envelope encryption under a disabled key fails with KEY_DISABLED and writes no --out file', async () => {
    const id = (await t.kms.createKey({})).keyMetadata.keyId;
    await t.kms.disableKey({ keyId: id });
    const dir = join(t.dir, `disabled-${id}`);
    await (await import('node:fs/promises')).mkdir(dir);
    const r = await t.run(['encrypt', '--key', id, '--out', join(dir, 'out.enc')], { input: randomBytes(10_000) });
    expect(r.code).toBe(1);
    expect(errorCode(r)).toBe('KEY_DISABLED');
    expect(await filesIn(dir)).toEqual([]);
  });
});
