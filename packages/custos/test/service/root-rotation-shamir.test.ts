// RotateRoot under the Shamir root of trust, over real HTTP: the new root key is sealed under the same unseal key, so
// the operators' original shares unseal the server after it (rotating the root key is not a rekey). Calls keep being
// served during it; the old root key is gone afterwards (the file's key check value changed, root.key.retired is
// removed); a rotation interrupted half-way is resumed after a sealed restart and an unseal with the same shares.
// No share, nor the unseal key they rebuild, reaches a log line, error or audit record.
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteKms } from '@custos/client';
import { combine } from 'shamir-secret-sharing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { openShamirRootOfTrust } from '../../src/keystore/shamir/index.js';
import { parseShare } from '../../src/keystore/shamir/share.js';
import { initShamir } from '../../src/service/shamir.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';

interface Progress {
  state: string;
  running: boolean;
  done: number;
  total: number;
  newKeyCheckValue: string | null;
  error: { code: string } | null;
}

const logLines: string[] = [];
let dir: string;
let shares: string[];

async function start(dataDir: string): Promise<RunningServer> {
  return startServer({
    dataDir,
    listen: '127.0.0.1:0',
    rootOfTrust: { kind: 'shamir' },
    unsealPerMinute: 1000,
    kmsOptions: { maintenanceIntervalMs: 0 },
    logger: {
      level: 'debug',
      stream: new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString());
          done();
        },
      }),
    },
  });
}

async function unseal(server: RunningServer, given: readonly string[]): Promise<void> {
  for (const share of given) {
    const res = await fetch(`${server.url}/v1/sys/unseal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ share }),
    });
    expect(res.status).toBe(200);
  }
  const status = (await (await fetch(`${server.url}/v1/sys/seal-status`)).json()) as { sealed: boolean };
  expect(status.sealed).toBe(false);
}

async function rotateRoot(server: RunningServer, token: string, method: 'GET' | 'POST'): Promise<Progress> {
  const res = await fetch(`${server.url}/v1/sys/rotate-root`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(method === 'POST' && { body: '{}' }),
  });
  return (await res.json()) as Progress;
}

async function untilDone(server: RunningServer, token: string): Promise<Progress> {
  for (let i = 0; i < 400; i++) {
    const p = await rotateRoot(server, token, 'GET');
    if (!p.running) return p;
    await sleep(25);
  }
  throw new Error('the rotation did not finish');
}

const kcvOf = async (path: string, given: readonly string[]): Promise<string> => {
  const root = await openShamirRootOfTrust(path, given);
  try {
    return root.keyCheckValue;
  } finally {
    await root.close();
  }
};

function withDb<T>(file: string, readonly: boolean, use: (db: InstanceType<ReturnType<typeof sqliteDriver>>) => T): T {
  const db = new (sqliteDriver())(file, { readonly });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-shamir-rotate-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('rotate-root under the Shamir root of trust', () => {
  it('rotates while encrypt/decrypt keep running; the original shares unseal after it', async () => {
    const dataDir = join(dir, 'served');
    shares = (await initShamir({ dataDir, shares: 5, threshold: 3 })).unsealShares;
    const rootKey = join(dataDir, 'root.key');
    const before = await kcvOf(rootKey, shares.slice(0, 3));
    let server = await start(dataDir);
    try {
      await unseal(server, [shares[0]!, shares[2]!, shares[4]!]);
      const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
      let kms = new RemoteKms({ endpoint: server.url, token });
      const samples: { blob: Uint8Array; text: string; keyId: string }[] = [];
      for (let i = 0; i < 40; i++) {
        const { keyId } = (await kms.createKey({})).keyMetadata;
        const text = `before ${String(i)}`;
        samples.push({
          keyId,
          text,
          blob: (await kms.encrypt({ keyId, plaintext: Buffer.from(text) })).ciphertextBlob,
        });
      }
      const started = await rotateRoot(server, token, 'POST');
      expect(started.running).toBe(true);
      // Calls keep being served during the rotation: new ciphertexts and old ones.
      let during = 0;
      for (;;) {
        const { keyId, blob, text } = samples[during % samples.length]!;
        const fresh = await kms.encrypt({ keyId, plaintext: Buffer.from(`during ${text}`) });
        expect(Buffer.from((await kms.decrypt({ ciphertextBlob: fresh.ciphertextBlob })).plaintext).toString()).toBe(
          `during ${text}`,
        );
        expect(Buffer.from((await kms.decrypt({ ciphertextBlob: blob })).plaintext).toString()).toBe(text);
        during++;
        if (!(await rotateRoot(server, token, 'GET')).running) break;
      }
      const done = await untilDone(server, token);
      expect(done).toMatchObject({ state: 'done', error: null });
      expect(during).toBeGreaterThan(0);
      // The old root key is gone: root.key holds the new one, sealed under the same shares; nothing else is left.
      const after = await kcvOf(rootKey, shares.slice(2, 5));
      expect(after).not.toBe(before);
      expect(after).toBe(done.newKeyCheckValue);
      expect((await readdir(dataDir)).filter((f) => f.startsWith('root.key'))).toEqual(['root.key']);
      // Seal, restart sealed, unseal with the ORIGINAL shares (other ones): old ciphertexts decrypt.
      const seal = await fetch(`${server.url}/v1/sys/seal`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(seal.status).toBe(200);
      await unseal(server, [shares[1]!, shares[3]!, shares[0]!]);
      await server.close();
      server = await start(dataDir);
      await unseal(server, [shares[4]!, shares[1]!, shares[2]!]);
      kms = new RemoteKms({ endpoint: server.url, token });
      for (const { blob, text } of samples)
        expect(Buffer.from((await kms.decrypt({ ciphertextBlob: blob })).plaintext).toString()).toBe(text);
      // A second rotation works too (the place still holds the unseal key after the first).
      await rotateRoot(server, token, 'POST');
      expect(await untilDone(server, token)).toMatchObject({ state: 'done', error: null });
      expect(await kcvOf(rootKey, shares.slice(0, 3))).not.toBe(after);
    } finally {
      await server.close();
    }
  });

  it('resumes an interrupted rotation after a sealed restart and an unseal with the same shares', async () => {
    const dataDir = join(dir, 'interrupted');
    const own = (await initShamir({ dataDir, shares: 3, threshold: 2 })).unsealShares;
    const token = async (): Promise<string> => (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
    const samples: { blob: Uint8Array; text: string }[] = [];
    let server = await start(dataDir);
    try {
      await unseal(server, own.slice(0, 2));
      const kms = new RemoteKms({ endpoint: server.url, token: await token() });
      for (let i = 0; i < 30; i++) {
        const { keyId } = (await kms.createKey({})).keyMetadata;
        const text = `key ${String(i)}`;
        samples.push({ text, blob: (await kms.encrypt({ keyId, plaintext: Buffer.from(text) })).ciphertextBlob });
      }
    } finally {
      await server.close();
    }
    // Stop the rotation half-way, deterministically: the last row it re-wraps is damaged (then put back).
    const dbFile = join(dataDir, 'custos.db');
    const last = withDb(dbFile, false, (db) => {
      const row = db
        .prepare(
          'select key_id, version, wrapped_material from key_versions order by key_id desc, version desc limit 1',
        )
        .get() as { key_id: string; version: number; wrapped_material: Uint8Array };
      const damaged = Buffer.from(row.wrapped_material);
      damaged.writeUInt8(damaged.readUInt8(damaged.length - 1) ^ 1, damaged.length - 1);
      db.prepare('update key_versions set wrapped_material = ? where key_id = ? and version = ?').run(
        damaged,
        row.key_id,
        row.version,
      );
      return row;
    });
    let interrupted: Progress;
    server = await start(dataDir);
    try {
      await unseal(server, own.slice(1, 3));
      await rotateRoot(server, await token(), 'POST');
      interrupted = await untilDone(server, await token());
    } finally {
      await server.close();
    }
    expect(interrupted).toMatchObject({ state: 'rewrapping', error: { code: 'INTERNAL' } });
    expect(interrupted.done).toBeGreaterThan(10); // rows under the next root key, others under the old one
    expect(await exists(join(dataDir, 'root.key.next'))).toBe(true);
    withDb(dbFile, false, (db) =>
      db
        .prepare('update key_versions set wrapped_material = ? where key_id = ? and version = ?')
        .run(last.wrapped_material, last.key_id, last.version),
    );
    server = await start(dataDir);
    try {
      await unseal(server, [own[2]!, own[0]!]); // the root ring opens root.key and root.key.next with them
      const kms = new RemoteKms({ endpoint: server.url, token: await token() });
      for (const { blob, text } of samples)
        expect(Buffer.from((await kms.decrypt({ ciphertextBlob: blob })).plaintext).toString()).toBe(text);
      expect((await rotateRoot(server, await token(), 'GET')).state).toBe('rewrapping');
      await rotateRoot(server, await token(), 'POST');
      const done = await untilDone(server, await token());
      expect(done).toMatchObject({ state: 'done', error: null, newKeyCheckValue: interrupted.newKeyCheckValue });
      expect(await kcvOf(join(dataDir, 'root.key'), own.slice(1))).toBe(interrupted.newKeyCheckValue);
      expect((await readdir(dataDir)).filter((f) => f.startsWith('root.key'))).toEqual(['root.key']);
      for (const { blob, text } of samples)
        expect(Buffer.from((await kms.decrypt({ ciphertextBlob: blob })).plaintext).toString()).toBe(text);
    } finally {
      await server.close();
    }
    shares.push(...own);
  });

  it('puts no share, nor the unseal key, in a log line or audit record', async () => {
    const unsealKey = Buffer.from(await combine(shares.slice(0, 3).map((s) => parseShare(s).bytes)));
    const records: string[] = [];
    for (const name of ['served', 'interrupted']) {
      withDb(join(dir, name, 'custos.db'), true, (db) => {
        records.push(JSON.stringify(db.prepare('select * from audit_log').all()));
        const rotations = db.prepare("select * from audit_log where operation = 'RotateRoot'").all();
        expect(rotations.length).toBeGreaterThanOrEqual(2);
      });
    }
    const everything = `${records.join('\n')}\n${logLines.join('')}`;
    expect(logLines.length).toBeGreaterThan(10);
    for (const share of shares) {
      expect(everything).not.toContain(share);
      expect(everything).not.toContain(share.split('.')[2]);
    }
    for (const encoding of ['hex', 'base64', 'base64url'] as const)
      expect(everything).not.toContain(unsealKey.toString(encoding));
  });
});
