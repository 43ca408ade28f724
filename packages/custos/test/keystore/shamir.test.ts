// The Shamir root of trust: the RootOfTrust suite on it; any threshold of shares in any order opens the same root key
// (same check value, and what one opening wraps the other unwraps); each bad input has its code; the file's header
// is authenticated; the file root refuses a Shamir-sealed file with a clear message.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { SecretBytes } from '../../src/core/secret-bytes.js';
import { openFileRootOfTrust } from '../../src/keystore/file/index.js';
import {
  createShamirRootKeyFile,
  openShamirRootOfTrust,
  readShamirHeader,
  shareIndex,
} from '../../src/keystore/shamir/index.js';
import { initShamir } from '../../src/service/shamir.js';
import { describeRootOfTrust } from './root-of-trust-suite.js';

let dir: string;
let path: string;
let shares: string[];
let foreign: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-shamir-'));
  path = join(dir, 'root.key');
  ({ unsealShares: shares } = await createShamirRootKeyFile(path, { shares: 5, threshold: 3 }));
  ({ unsealShares: foreign } = await createShamirRootKeyFile(join(dir, 'other.key'), { shares: 3, threshold: 3 }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describeRootOfTrust('shamir (3 of 5 shares)', async () => {
  const rot = await openShamirRootOfTrust(path, shares.slice(1, 4));
  return { rot, cleanup: () => rot.close() };
});

/** `share` with one byte of its y values flipped: well-formed, of this root, wrong. */
function corrupt(share: string): string {
  const [prefix, rootId, encoded] = share.split('.') as [string, string, string];
  const bytes = Buffer.from(encoded, 'base64url');
  bytes[5]! ^= 0x80;
  return `${prefix}.${rootId}.${bytes.toString('base64url')}`;
}

describe('the Shamir root key file', () => {
  it('opens to the same root key from any threshold of shares, in any order, and with more', async () => {
    const a = await openShamirRootOfTrust(path, [shares[4]!, shares[0]!, shares[2]!]);
    const b = await openShamirRootOfTrust(path, [shares[1]!, shares[3]!, shares[2]!]);
    const c = await openShamirRootOfTrust(path, shares);
    try {
      expect(b.keyCheckValue).toBe(a.keyCheckValue);
      expect(c.keyCheckValue).toBe(a.keyCheckValue);
      const aad = new Uint8Array([1]);
      const wrapped = await a.wrap(SecretBytes.from(new Uint8Array(32).fill(9)), aad);
      expect((await b.unwrap(wrapped, aad)).equals(SecretBytes.from(new Uint8Array(32).fill(9)))).toBe(true);
      const [da, db] = [await a.deriveKey('row-integrity'), await b.deriveKey('row-integrity')];
      expect(da.equals(db)).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('reports its header, and checks a share against it before combining', async () => {
    const header = await readShamirHeader(path);
    expect(header).toMatchObject({ shares: 5, threshold: 3 });
    expect(header.rootId).toMatch(/^[0-9a-f]{32}$/);
    const indexes = shares.map((share) => shareIndex(header, share));
    expect(new Set(indexes).size).toBe(5);
    expect(() => shareIndex(header, foreign[0])).toThrow(expect.objectContaining({ code: 'FOREIGN_SHARE' }));
  });

  it.each([
    ['no prefix', (s: string) => s.replace('custos-share-v1', 'custos-share-v2')],
    ['two parts', (s: string) => s.split('.').slice(1).join('.')],
    ['a short root id', (s: string) => s.replace(/\.[0-9a-f]{32}\./, '.abc.')],
    ['a truncated share', (s: string) => s.slice(0, -4)],
    ['junk in the base64url', (s: string) => `${s.slice(0, -2)}*${s.slice(-1)}`],
    [
      'index 0',
      (s: string) => {
        const [p, r, e] = s.split('.') as [string, string, string];
        const bytes = Buffer.from(e, 'base64url');
        bytes[32] = 0;
        return `${p}.${r}.${bytes.toString('base64url')}`;
      },
    ],
  ])('refuses a share with %s (INVALID_SHARE), without echoing it', async (_what, alter) => {
    const bad = alter(shares[0]!);
    const error = await openShamirRootOfTrust(path, [bad, shares[1]!, shares[2]!]).then(
      () => expect.fail('opened'),
      (e: unknown) => e as Error & { code: string },
    );
    expect(error.code).toBe('INVALID_SHARE');
    expect(error.message).not.toMatch(/[A-Za-z0-9_-]{20,}/); // no share, nor a part of one
  });

  it('refuses a foreign share, a duplicate, too few shares and a wrong share, each with its code', async () => {
    await expectKmsError(openShamirRootOfTrust(path, [shares[0]!, foreign[1]!, shares[2]!]), 'FOREIGN_SHARE');
    await expectKmsError(openShamirRootOfTrust(path, [shares[0]!, shares[1]!, shares[0]!]), 'DUPLICATE_SHARE');
    await expectKmsError(openShamirRootOfTrust(path, [shares[0]!, shares[1]!]), 'TOO_FEW_SHARES');
    await expectKmsError(openShamirRootOfTrust(path, []), 'TOO_FEW_SHARES');
    await expectKmsError(openShamirRootOfTrust(path, [shares[0]!, corrupt(shares[1]!), shares[2]!]), 'WRONG_SHARES');
  });

  it('authenticates its header: an edited threshold or root id fails as WRONG_SHARES or FOREIGN_SHARE', async () => {
    const text = await readFile(path, 'utf8');
    const doc = JSON.parse(text) as Record<string, unknown>;
    const edited = join(dir, 'edited.key');
    await writeFile(edited, JSON.stringify({ ...doc, threshold: 2 }), { mode: 0o600 });
    await expectKmsError(openShamirRootOfTrust(edited, shares.slice(0, 3)), 'WRONG_SHARES');
    await rm(edited);
    await writeFile(edited, JSON.stringify({ ...doc, rootId: '0'.repeat(32) }), { mode: 0o600 });
    await expectKmsError(openShamirRootOfTrust(edited, shares.slice(0, 3)), 'FOREIGN_SHARE');
    await rm(edited);
    await writeFile(edited, JSON.stringify({ ...doc, extra: 1 }), { mode: 0o600 });
    await expectKmsError(openShamirRootOfTrust(edited, shares.slice(0, 3)), 'VALIDATION_ERROR');
    await rm(edited);
    await writeFile(edited, JSON.stringify({ ...doc, shares: 300 }), { mode: 0o600 });
    await expectKmsError(readShamirHeader(edited), 'VALIDATION_ERROR');
    await chmod(edited, 0o644);
    await expectKmsError(readShamirHeader(edited), 'VALIDATION_ERROR');
    await expectKmsError(readShamirHeader(join(dir, 'missing.key')), 'VALIDATION_ERROR');
  });

  it('is refused by the file root with a message naming the shamir root, and vice versa', async () => {
    const error = await openFileRootOfTrust({ path }).then(
      () => expect.fail('opened'),
      (e: unknown) => e as Error & { code: string },
    );
    expect([error.code, error.message]).toEqual(['VALIDATION_ERROR', expect.stringMatching(/Shamir shares/)]);
    const plain = join(dir, 'plain.key');
    await (await openFileRootOfTrust({ path: plain, create: true })).close();
    await expectKmsError(readShamirHeader(plain), 'VALIDATION_ERROR');
  });

  it('creates nothing for counts outside 2 <= threshold <= shares <= 255, nor over an existing file', async () => {
    for (const [n, t] of [
      [3, 4],
      [3, 1],
      [256, 2],
      [2.5, 2],
    ] as const) {
      await expectKmsError(
        createShamirRootKeyFile(join(dir, `bad-${n}-${t}.key`), { shares: n, threshold: t }),
        'VALIDATION_ERROR',
      );
      await expect(readFile(join(dir, `bad-${n}-${t}.key`))).rejects.toThrow();
    }
    const before = await readFile(path, 'utf8');
    await expectKmsError(createShamirRootKeyFile(path, { shares: 2, threshold: 2 }), 'ALREADY_EXISTS');
    expect(await readFile(path, 'utf8')).toBe(before);
    const big = await createShamirRootKeyFile(join(dir, 'big.key'), { shares: 255, threshold: 255 });
    expect(big.unsealShares).toHaveLength(255);
  });

  it('initShamir refuses a data directory holding a store or a root key file', async () => {
    const dataDir = join(dir, 'with-store');
    await initShamir({ dataDir, shares: 2, threshold: 2 });
    await expectKmsError(initShamir({ dataDir, shares: 2, threshold: 2 }), 'ALREADY_EXISTS');
    const storeDir = join(dir, 'store-only');
    await initShamir({ dataDir: storeDir, rootKeyFile: join(dir, 'elsewhere.key'), shares: 2, threshold: 2 });
    await writeFile(join(storeDir, 'custos.db'), '');
    await expectKmsError(
      initShamir({ dataDir: storeDir, rootKeyFile: join(dir, 'elsewhere2.key'), shares: 2, threshold: 2 }),
      'ALREADY_EXISTS',
    );
    await expect(readFile(join(dir, 'elsewhere2.key'))).rejects.toThrow();
  });
});
