// `custos operator migrate-root --to shamir` and `--from-shamir-share-file`, in-process (buildProgram().parseAsync),
// on stopped data directories: file → shamir prints the new shares once (before any key is re-wrapped), after which
// the server starts sealed with `--root-of-trust shamir` and unseals with them; an interrupted run is resumed with
// the shares it printed (and refused without them); shamir → file. No share in an error message.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/api/server.js';
import { buildProgram } from '../../src/cli/main.js';
import { LocalKms } from '../../src/service/local-kms.js';
import { initShamir } from '../../src/service/shamir.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';

/** What the last run printed on stdout, even when it failed. */
let lastOut = '';

/** Runs `custos <args>`; resolves to what it printed on stdout, rejects with its error. */
async function custos(...args: string[]): Promise<string> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = (chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  process.stderr.write = () => true;
  try {
    await buildProgram().parseAsync(args, { from: 'user' });
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    lastOut = out.join('');
  }
  return out.join('');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-cli-migrate-shamir-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A stopped file-root data directory with one key and a ciphertext under it. */
async function fileDataDir(name: string): Promise<{ dataDir: string; ciphertextBlob: Uint8Array }> {
  const dataDir = join(dir, name);
  const kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0 });
  try {
    const { keyId } = (await kms.createKey({})).keyMetadata;
    const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext: new TextEncoder().encode('migrated') });
    return { dataDir, ciphertextBlob };
  } finally {
    await kms.close();
  }
}

const rootFiles = async (dataDir: string): Promise<string[]> =>
  (await readdir(dataDir)).filter((f) => f.startsWith('root.key')).sort();

/** Damages (or puts back) the wrapped material of the last key version: the re-wrap stops there. */
function setLastMaterial(dataDir: string, material?: Uint8Array): Uint8Array {
  const db = new (sqliteDriver())(join(dataDir, 'custos.db'), {});
  try {
    const row = db
      .prepare('select key_id, version, wrapped_material from key_versions order by key_id desc, version desc limit 1')
      .get() as { key_id: string; version: number; wrapped_material: Uint8Array };
    const damaged = Buffer.from(row.wrapped_material);
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 1) ^ 1, damaged.length - 1);
    db.prepare('update key_versions set wrapped_material = ? where key_id = ? and version = ?').run(
      material ?? damaged,
      row.key_id,
      row.version,
    );
    return row.wrapped_material;
  } finally {
    db.close();
  }
}

describe('custos operator migrate-root --to shamir, in-process', () => {
  it('moves file → shamir: the shares are printed once, the server starts sealed and unseals with them', async () => {
    const { dataDir, ciphertextBlob } = await fileDataDir('to-shamir');
    const printed = await custos(
      'operator',
      'migrate-root',
      '--json',
      '--data-dir',
      dataDir,
      '--to',
      'shamir',
      ...['--shares', '3', '--threshold', '2'],
    );
    const doc = JSON.parse(printed) as { unsealShares: string[]; threshold: number };
    expect(Object.keys(doc)).toEqual(['unsealShares', 'threshold']);
    expect(doc.threshold).toBe(2);
    expect(doc.unsealShares).toHaveLength(3);
    expect(await rootFiles(dataDir)).toEqual(['root.key']);
    expect(JSON.parse(await readFile(join(dataDir, 'root.key'), 'utf8'))).toMatchObject({
      seal: 'shamir',
      threshold: 2,
    });
    // A second run has nothing to do: the root is already shamir (refused before any new file is made).
    await writeFile(join(dir, 'to-shamir.shares'), doc.unsealShares.slice(0, 2).join('\n'));
    await expect(
      custos(
        'operator',
        'migrate-root',
        '--data-dir',
        dataDir,
        '--to',
        'shamir',
        '--shares',
        '3',
        '--threshold',
        '2',
        '--from-shamir-share-file',
        join(dir, 'to-shamir.shares'),
      ),
    ).rejects.toThrow(/already a shamir root/);
    expect(await rootFiles(dataDir)).toEqual(['root.key']);

    const server = await startServer({
      dataDir,
      listen: '127.0.0.1:0',
      rootOfTrust: { kind: 'shamir' },
      logger: false,
      kmsOptions: { maintenanceIntervalMs: 0 },
    });
    try {
      expect(await (await fetch(`${server.url}/v1/sys/seal-status`)).json()).toMatchObject({
        sealed: true,
        threshold: 2,
      });
      for (const share of [doc.unsealShares[2], doc.unsealShares[0]])
        await fetch(`${server.url}/v1/sys/unseal`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ share }),
        });
      const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
      const kms = new RemoteKms({ endpoint: server.url, token });
      expect(new TextDecoder().decode((await kms.decrypt({ ciphertextBlob })).plaintext)).toBe('migrated');
    } finally {
      await server.close();
    }
  });

  it('prints the shares and the flags in text, and moves shamir → file with --from-shamir-share-file', async () => {
    const { dataDir, ciphertextBlob } = await fileDataDir('round-trip');
    const out = await custos(
      'operator',
      'migrate-root',
      '--data-dir',
      dataDir,
      '--to',
      'shamir',
      '--shares',
      '2',
      '--threshold',
      '2',
    );
    const shares = [...out.matchAll(/^share \d: (\S+)$/gm)].map((m) => m[1]!);
    expect(shares).toHaveLength(2);
    expect(out).toMatch(/^root migrated to shamir/m);
    expect(out).toContain('start the server from now on with: --root-of-trust shamir');
    const from = ['operator', 'migrate-root', '--data-dir', dataDir, '--to', 'file', '--from-shamir-share-file'];
    await writeFile(join(dir, 'empty.shares'), '\n\n');
    await expect(custos(...from, join(dir, 'empty.shares'))).rejects.toThrow(/no unseal share in it/);
    await expect(custos(...from, join(dir, 'missing.shares'))).rejects.toThrow(/cannot read .*ENOENT/);
    await expect(custos(...from, join(dir, 'empty.shares'), '--from-passphrase-file', 'p')).rejects.toThrow(
      /names a Shamir root/,
    );
    await writeFile(join(dir, 'round-trip.shares'), `${shares.join('\n')}\n`);
    const back = await custos(
      'operator',
      'migrate-root',
      '--data-dir',
      dataDir,
      '--to',
      'file',
      '--from-shamir-share-file',
      join(dir, 'round-trip.shares'),
    );
    expect(back).toMatch(/^root migrated to file/m);
    for (const share of shares) expect(back).not.toContain(share);
    expect(await rootFiles(dataDir)).toEqual(['root.key']);
    const kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0 });
    try {
      expect(new TextDecoder().decode((await kms.decrypt({ ciphertextBlob })).plaintext)).toBe('migrated');
    } finally {
      await kms.close();
    }
  });

  it('resumes an interrupted migration with the shares it printed, and refuses to make other ones', async () => {
    const { dataDir, ciphertextBlob } = await fileDataDir('interrupted');
    const original = setLastMaterial(dataDir);
    const args = ['operator', 'migrate-root', '--data-dir', dataDir, '--to', 'shamir'];
    const err = (await custos(...args, '--json', '--shares', '3', '--threshold', '2').catch((e: unknown) => e)) as {
      code?: string;
    };
    expect(err.code).toBe('INTERNAL');
    // The shares were printed before any key was re-wrapped, so the failure after that did not lose them.
    const doc = JSON.parse(lastOut) as { unsealShares: string[] };
    expect(doc.unsealShares).toHaveLength(3);
    expect(await rootFiles(dataDir)).toEqual(['root.key', 'root.key.next']);
    setLastMaterial(dataDir, original);
    // Without the shares: refused, nothing new made (the printed shares stay the only ones).
    await expect(custos(...args, '--shares', '3', '--threshold', '2')).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(custos(...args)).rejects.toThrow(/--shares and --threshold/);
    await expect(custos(...args, '--shares', '3', '--threshold', '4')).rejects.toThrow(/--threshold must not exceed/);
    await expect(
      custos('operator', 'migrate-root', '--data-dir', dataDir, '--to', 'file', '--shares', '3'),
    ).rejects.toThrow(/are for --to shamir/);
    const foreign = (await initShamir({ dataDir: join(dir, 'foreign'), shares: 2, threshold: 2 })).unsealShares;
    await writeFile(join(dir, 'foreign.shares'), foreign.join('\n'));
    const wrong = (await custos(...args, '--shamir-share-file', join(dir, 'foreign.shares')).catch(
      (e: unknown) => e,
    )) as Error & { code?: string };
    expect(wrong.code).toBe('FOREIGN_SHARE');
    for (const share of foreign) expect(wrong.message).not.toContain(share);
    await writeFile(join(dir, 'interrupted.shares'), doc.unsealShares.slice(1).join('\n'));
    await expect(
      custos(...args, '--shamir-share-file', join(dir, 'interrupted.shares'), '--shares', '3'),
    ).rejects.toThrow(/no --shares/);
    expect(await custos(...args, '--shamir-share-file', join(dir, 'interrupted.shares'))).toMatch(
      /^root migrated to shamir/m,
    );
    expect(await rootFiles(dataDir)).toEqual(['root.key']);
    const kms = await LocalKms.open({
      dataDir,
      rootOfTrust: { kind: 'shamir', unsealShares: doc.unsealShares.slice(0, 2) },
      maintenanceIntervalMs: 0,
    });
    try {
      expect(new TextDecoder().decode((await kms.decrypt({ ciphertextBlob })).plaintext)).toBe('migrated');
    } finally {
      await kms.close();
    }
  });
});
