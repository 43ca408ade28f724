import { createHmac, scryptSync, createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBytes } from '../../src/core/secret-bytes.js';
import { createFileRootKey, openFileRootOfTrust, type FileRootOfTrustOptions } from '../../src/keystore/file/index.js';
import { describeRootOfTrust } from './root-of-trust-suite.js';

const FAST = 1024; // scrypt N for tests; the default is 2^17
const aad = new TextEncoder().encode('aad');

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'custos-rot-'));
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? 'NO_CODE';
  }
}

async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
}

interface SealedFile {
  kdf: { N: number; r: number; p: number; salt: string };
  iv: string;
  tag: string;
  ciphertext: string;
}

/** Unseals a sealed file with node:crypto directly, following the format comment, to get the root key. */
function unsealIndependently(doc: SealedFile, passphrase: string): Buffer {
  const { N, r, p, salt } = doc.kdf;
  const kek = scryptSync(passphrase, Buffer.from(salt, 'base64'), 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  const aadText = JSON.stringify({
    format: 'custos-root-key',
    version: 1,
    sealed: true,
    kdf: { name: 'scrypt', N, r, p, salt },
  });
  const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(doc.iv, 'base64'), { authTagLength: 16 });
  d.setAAD(Buffer.from(aadText));
  d.setAuthTag(Buffer.from(doc.tag, 'base64'));
  return Buffer.concat([d.update(Buffer.from(doc.ciphertext, 'base64')), d.final()]);
}

/** Seals `root` under `passphrase` with node:crypto directly, following the format comment (any salt, N = FAST). */
function sealIndependently(root: Buffer, passphrase: string, salt: Buffer): string {
  const kdf = { name: 'scrypt', N: FAST, r: 8, p: 1, salt: salt.toString('base64') };
  const kek = scryptSync(passphrase, salt, 32, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: 256 * kdf.N * kdf.r + 1024 * 1024,
  });
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: 16 });
  c.setAAD(Buffer.from(JSON.stringify({ format: 'custos-root-key', version: 1, sealed: true, kdf })));
  const ciphertext = Buffer.concat([c.update(root), c.final()]);
  const b64 = (b: Buffer) => b.toString('base64');
  return JSON.stringify({
    format: 'custos-root-key',
    version: 1,
    sealed: true,
    kdf,
    iv: b64(iv),
    ciphertext: b64(ciphertext),
    tag: b64(c.getAuthTag()),
  });
}

const kcvOf = (root: Buffer): string =>
  createHmac('sha256', root).update('custos root key check value').digest().subarray(0, 16).toString('hex');

for (const sealed of [false, true]) {
  describeRootOfTrust(sealed ? 'sealed file' : 'plain file', async () => {
    const dir = await tempDir();
    const options: FileRootOfTrustOptions = {
      path: join(dir, 'root.key'),
      create: true,
      scryptCost: FAST,
      ...(sealed ? { passphrase: 'correct horse' } : {}),
    };
    return { rot: await openFileRootOfTrust(options), cleanup: () => rm(dir, { recursive: true, force: true }) };
  });
}

describe('file root of trust', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await tempDir();
    path = join(dir, 'root.key');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([undefined, 'pass phrase'])('creates the file with mode 0600 (passphrase %s)', async (passphrase) => {
    const rot = await openFileRootOfTrust({
      path,
      ...(passphrase === undefined ? {} : { passphrase }),
      create: true,
      scryptCost: FAST,
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await rot.close();
  });

  it('writes the documented plain layout, whose key gives the key check value', async () => {
    const rot = await openFileRootOfTrust({ path, create: true });
    const doc = JSON.parse(await readFile(path, 'utf8'));
    expect(Object.keys(doc).sort()).toEqual(['format', 'key', 'sealed', 'version']);
    expect(doc).toMatchObject({ format: 'custos-root-key', version: 1, sealed: false });
    const root = Buffer.from(doc.key, 'base64');
    expect(root.length).toBe(32);
    expect(rot.keyCheckValue).toBe(kcvOf(root));
    expect(rot.keyCheckValue).not.toBe(root.subarray(0, 16).toString('hex'));
    await rot.close();
  });

  it('seals with scrypt N = 2^17 by default', async () => {
    const rot = await openFileRootOfTrust({ path, passphrase: 'slow but safe', create: true });
    const doc = JSON.parse(await readFile(path, 'utf8'));
    expect(doc.kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    await rot.close();
  });

  it('never writes the root key in any encoding when sealed', async () => {
    const rot = await openFileRootOfTrust({ path, passphrase: 'pw', create: true, scryptCost: FAST });
    const text = await readFile(path, 'utf8');
    const doc = JSON.parse(text);
    expect(doc.key).toBeUndefined();
    const root = unsealIndependently(doc, 'pw');
    expect(rot.keyCheckValue).toBe(kcvOf(root)); // the independent unseal found the real root key
    for (const encoding of ['hex', 'base64', 'base64url', 'latin1'] as const)
      expect(text).not.toContain(root.toString(encoding));
    expect((await readFile(path)).includes(root)).toBe(false);
    await rot.close();
  });

  it.each([undefined, 'pw'])(
    'reopens with the same key check value and unwraps earlier wraps (passphrase %s)',
    async (passphrase) => {
      const first = await openFileRootOfTrust({
        path,
        ...(passphrase === undefined ? {} : { passphrase }),
        create: true,
        scryptCost: FAST,
      });
      const material = SecretBytes.random(32);
      const wrapped = await first.wrap(material, aad);
      await first.close();
      const second = await openFileRootOfTrust({ path, ...(passphrase === undefined ? {} : { passphrase }) });
      expect(second.keyCheckValue).toBe(first.keyCheckValue);
      expect((await second.unwrap(wrapped, aad)).equals(material)).toBe(true);
      await second.close();
    },
  );

  it('opens an existing file with create: true instead of replacing it', async () => {
    const first = await openFileRootOfTrust({ path, create: true });
    const before = await readFile(path, 'utf8');
    const second = await openFileRootOfTrust({ path, create: true });
    expect(second.keyCheckValue).toBe(first.keyCheckValue);
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('refuses to overwrite an existing file with ALREADY_EXISTS', async () => {
    const first = await createFileRootKey({ path });
    const before = await readFile(path, 'utf8');
    expect(await codeOf(createFileRootKey({ path }))).toBe('ALREADY_EXISTS');
    expect(await codeOf(createFileRootKey({ path, passphrase: 'pw', scryptCost: FAST }))).toBe('ALREADY_EXISTS');
    expect(await readFile(path, 'utf8')).toBe(before);
    expect((await openFileRootOfTrust({ path })).keyCheckValue).toBe(first.keyCheckValue);
  });

  it('fails with a clear VALIDATION_ERROR on a wrong passphrase', async () => {
    await (await openFileRootOfTrust({ path, passphrase: 'right', create: true, scryptCost: FAST })).close();
    const err = await errorOf(openFileRootOfTrust({ path, passphrase: 'wrong' }));
    expect(err.code).toBe('VALIDATION_ERROR');
    expect(err.message).toBe('wrong passphrase or corrupted root key file');
  });

  it('fails with VALIDATION_ERROR when the sealed header is edited (KDF parameters are authenticated)', async () => {
    await (await openFileRootOfTrust({ path, passphrase: 'pw', create: true, scryptCost: FAST })).close();
    const doc = JSON.parse(await readFile(path, 'utf8'));
    doc.kdf.N = 2048;
    await writeFile(path, JSON.stringify(doc), { mode: 0o600 });
    expect(await codeOf(openFileRootOfTrust({ path, passphrase: 'pw' }))).toBe('VALIDATION_ERROR');
  });

  it('refuses a sealed file without a passphrase and a plain file with one', async () => {
    const sealedPath = join(dir, 'sealed.key');
    await (await openFileRootOfTrust({ path: sealedPath, passphrase: 'pw', create: true, scryptCost: FAST })).close();
    await (await openFileRootOfTrust({ path, create: true })).close();
    expect(await codeOf(openFileRootOfTrust({ path: sealedPath }))).toBe('VALIDATION_ERROR');
    expect(await codeOf(openFileRootOfTrust({ path, passphrase: 'pw' }))).toBe('VALIDATION_ERROR');
  });

  it.each([
    ['640', 0o640],
    ['604', 0o604],
    ['660', 0o660],
    ['644', 0o644],
  ])('refuses a file with mode %s (group or other access)', async (_octal, mode) => {
    await (await openFileRootOfTrust({ path, create: true })).close();
    await chmod(path, mode);
    expect(await codeOf(openFileRootOfTrust({ path }))).toBe('VALIDATION_ERROR');
  });

  it('fails with VALIDATION_ERROR when the file is missing and create is not set', async () => {
    expect(await codeOf(openFileRootOfTrust({ path }))).toBe('VALIDATION_ERROR');
  });

  it('refuses an empty passphrase', async () => {
    expect(await codeOf(openFileRootOfTrust({ path, passphrase: '', create: true, scryptCost: FAST }))).toBe(
      'VALIDATION_ERROR',
    );
  });

  it.each([
    ['not JSON', 'root key'],
    ['an array', '[]'],
    [
      'wrong format',
      JSON.stringify({ format: 'other', version: 1, sealed: false, key: Buffer.alloc(32).toString('base64') }),
    ],
    [
      'a future version',
      JSON.stringify({
        format: 'custos-root-key',
        version: 2,
        sealed: false,
        key: Buffer.alloc(32).toString('base64'),
      }),
    ],
    [
      'a short key',
      JSON.stringify({
        format: 'custos-root-key',
        version: 1,
        sealed: false,
        key: Buffer.alloc(16).toString('base64'),
      }),
    ],
    [
      'non-canonical base64',
      JSON.stringify({
        format: 'custos-root-key',
        version: 1,
        sealed: false,
        key: '!' + Buffer.alloc(32).toString('base64'),
      }),
    ],
    [
      'an unknown field',
      JSON.stringify({
        format: 'custos-root-key',
        version: 1,
        sealed: false,
        key: Buffer.alloc(32).toString('base64'),
        extra: 1,
      }),
    ],
    [
      'sealed as a string',
      JSON.stringify({ format: 'custos-root-key', version: 1, sealed: 'no', key: Buffer.alloc(32).toString('base64') }),
    ],
  ])('refuses a malformed file (%s) with VALIDATION_ERROR', async (_name, text) => {
    await writeFile(path, text, { mode: 0o600 });
    expect(await codeOf(openFileRootOfTrust({ path }))).toBe('VALIDATION_ERROR');
  });

  it.each([
    ['N not a power of two', { N: 1000 }],
    ['N too large', { N: 2 ** 21 }],
    ['N too small', { N: 512 }],
    ['r zero', { r: 0 }],
    ['unknown kdf', { name: 'argon2id' }],
  ])('refuses a sealed file with bad KDF parameters (%s) before running scrypt', async (_name, change) => {
    await (await openFileRootOfTrust({ path, passphrase: 'pw', create: true, scryptCost: FAST })).close();
    const doc = JSON.parse(await readFile(path, 'utf8'));
    Object.assign(doc.kdf, change);
    await writeFile(path, JSON.stringify(doc), { mode: 0o600 });
    expect(await codeOf(openFileRootOfTrust({ path, passphrase: 'pw' }))).toBe('VALIDATION_ERROR');
  });

  it('refuses a sealed file whose salt is shorter than 16 bytes, though it is otherwise valid', async () => {
    const root = randomBytes(32);
    await writeFile(path, sealIndependently(root, 'pw', randomBytes(16)), { mode: 0o600 });
    const ok = await openFileRootOfTrust({ path, passphrase: 'pw' }); // the independent seal is a valid file
    expect(ok.keyCheckValue).toBe(kcvOf(root));
    await ok.close();
    for (const length of [0, 8, 15]) {
      await writeFile(path, sealIndependently(root, 'pw', randomBytes(length)), { mode: 0o600 });
      const err = await errorOf(openFileRootOfTrust({ path, passphrase: 'pw' }));
      expect(err.code).toBe('VALIDATION_ERROR');
      expect(err.message).toContain('kdf.salt must be at least 16 bytes');
    }
  });

  it('refuses a root key path that is a symlink, even to a valid root key file, and does not create through it', async () => {
    const target = join(dir, 'real.key');
    await (await createFileRootKey({ path: target })).close();
    const before = await readFile(target, 'utf8');
    await symlink(target, path);
    for (const create of [false, true]) {
      const err = await errorOf(openFileRootOfTrust({ path, create }));
      expect(err.code).toBe('VALIDATION_ERROR');
      expect(err.message).toContain(`cannot open root key file ${path}: ELOOP`);
    }
    const dangling = join(dir, 'dangling.key');
    await symlink(join(dir, 'absent.key'), dangling);
    const err = await errorOf(openFileRootOfTrust({ path: dangling, create: true }));
    expect(err.code).toBe('VALIDATION_ERROR');
    expect(err.message).toContain('ELOOP');
    await expect(stat(join(dir, 'absent.key'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(target, 'utf8')).toBe(before);
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
  });

  it('refuses a root key path that is a directory, with or without create', async () => {
    await mkdir(path, { mode: 0o700 });
    for (const create of [false, true]) {
      const err = await errorOf(openFileRootOfTrust({ path, create }));
      expect(err.code).toBe('VALIDATION_ERROR');
      expect(err.message).toContain(`root key file is not a regular file: ${path}`);
    }
    expect((await stat(path)).isDirectory()).toBe(true);
  });

  it('fails with INTERNAL after close, because the root key was wiped', async () => {
    const rot = await openFileRootOfTrust({ path, create: true });
    const wrapped = await rot.wrap(SecretBytes.random(16), aad);
    await rot.close();
    expect(await codeOf(rot.wrap(SecretBytes.random(16), aad))).toBe('INTERNAL');
    expect(await codeOf(rot.unwrap(wrapped, aad))).toBe('INTERNAL');
  });

  it('leaves no temporary file behind after creating', async () => {
    await (await openFileRootOfTrust({ path, create: true })).close();
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).toEqual(['root.key']);
  });

  it('creates only one file when two openers race, and both get the same key', async () => {
    const [a, b] = await Promise.all([
      openFileRootOfTrust({ path, create: true }),
      openFileRootOfTrust({ path, create: true }),
    ]);
    expect(a.keyCheckValue).toBe(b.keyCheckValue);
  });
});
