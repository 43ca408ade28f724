// Two real `custos server` processes on one PostgreSQL schema and one root key file, driven through RemoteKms:
// a key made on one node is used on the other, rotations and disabling on A are followed by B at once, and what
// B acknowledged before being SIGKILLed is all there through A. Needs `npm run build` (the root `npm test` does
// it) and PostgreSQL; skipped loudly without either.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, freePort, spawnCli } from '../cli/helpers.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';
import { eventually } from '../service/helpers.js';

const describeTwoNodes = ((): typeof describe | typeof describe.skip => {
  const pg = describePostgres('two server processes on one PostgreSQL');
  if (pg === describe.skip) return pg;
  if (existsSync(CLI)) return describe;
  console.warn(`${CLI} is missing (run \`npm run build\`): skipping two server processes on one PostgreSQL`);
  return describe.skip;
})();

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const versionOf = (blob: Uint8Array): number => Buffer.from(blob).readUInt32BE(17);

interface Node {
  readonly process: ChildProcess;
  readonly url: string;
  readonly dir: string;
}

/** Starts `custos server` and resolves once it says it is listening. */
async function startNode(dir: string, schema: string, rootKeyFile: string): Promise<Node> {
  const port = await freePort();
  const child = spawnCli([
    'server',
    '--data-dir',
    dir,
    '--listen',
    `127.0.0.1:${port}`,
    '--database-url',
    PG_URL,
    '--database-schema',
    schema,
    '--database-pool-size',
    '4',
    '--root-key-file',
    rootKeyFile,
    '--log-level',
    'silent',
  ]);
  let stderr = '';
  child.stdout!.resume();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`custos server did not start; stderr: ${stderr}`));
    }, 20_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`custos server exited (${code ?? signal}); stderr: ${stderr}`));
    });
  });
  return { process: child, url: `http://127.0.0.1:${port}`, dir };
}

describeTwoNodes('two server processes on one PostgreSQL', () => {
  const schema = testSchemaName();
  let base: string;
  let nodeA: Node;
  let nodeB: Node;
  let a: RemoteKms;
  let b: RemoteKms;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'custos-two-nodes-'));
    const rootKeyFile = join(base, 'root.key');
    nodeA = await startNode(join(base, 'a'), schema, rootKeyFile); // creates the root key and the admin token
    nodeB = await startNode(join(base, 'b'), schema, rootKeyFile);
    const token = (await readFile(join(nodeA.dir, 'admin.token'), 'utf8')).trim();
    expect(existsSync(join(nodeB.dir, 'admin.token'))).toBe(false); // the bootstrap ran once
    a = new RemoteKms({ endpoint: nodeA.url, token, timeoutMs: 10_000 });
    b = new RemoteKms({ endpoint: nodeB.url, token, timeoutMs: 10_000, retries: 0 });
  }, 45_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const node of [nodeA, nodeB]) {
      if (node?.process.exitCode === null && node.process.signalCode === null) {
        const exited = new Promise((resolve) => node.process.once('exit', resolve));
        node.process.kill('SIGTERM');
        await exited;
      }
    }
    await dropSchema(schema);
    if (base) await rm(base, { recursive: true, force: true });
  }, 30_000);

  it('a key created on A is used on B, and B’s ciphertext decrypts on A', async () => {
    const { keyMetadata } = await a.createKey({ description: 'shared' });
    const { ciphertextBlob } = await b.encrypt({ keyId: keyMetadata.keyId, plaintext: utf8('across nodes') });
    expect(new TextDecoder().decode((await a.decrypt({ ciphertextBlob })).plaintext)).toBe('across nodes');
  });

  it('rotations on A while B encrypts and decrypts: every decryption succeeds, B ends on the latest version', async () => {
    const { keyMetadata } = await a.createKey({});
    const keyId = keyMetadata.keyId;
    let done = false;
    const rotations = (async () => {
      for (let i = 0; i < 10 && !done; i++) {
        await a.rotateKeyOnDemand({ keyId });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      for (let i = 0; i < 200; i++) {
        const { ciphertextBlob } = await b.encrypt({ keyId, plaintext: utf8(`message ${i}`) });
        expect(new TextDecoder().decode((await b.decrypt({ ciphertextBlob })).plaintext)).toBe(`message ${i}`);
      }
    } finally {
      done = true;
      await rotations;
    }
    const latest = (await a.listKeyRotations({ keyId })).rotations.length + 1;
    await eventually(async () => {
      expect(versionOf((await b.encrypt({ keyId, plaintext: utf8('last') })).ciphertextBlob)).toBe(latest);
    });
  }, 30_000);

  it('a key disabled on A is refused by B within 2 s', async () => {
    const { keyMetadata } = await a.createKey({});
    const keyId = keyMetadata.keyId;
    await b.encrypt({ keyId, plaintext: utf8('cached on B') });
    await a.disableKey({ keyId });
    await eventually(async () => {
      const error = await b.encrypt({ keyId, plaintext: utf8('x') }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect((error as { code?: string } | undefined)?.code).toBe('KEY_DISABLED');
    });
  });

  it('B is SIGKILLed under a write load: everything B acknowledged is there and usable through A', async () => {
    const acknowledged: { keyId: string; ciphertextBlob: Uint8Array; plaintext: string }[] = [];
    let stop = false;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        try {
          const { keyMetadata } = await b.createKey({ description: `load ${w}.${i}` });
          const plaintext = `worker ${w} item ${i}`;
          const { ciphertextBlob } = await b.encrypt({ keyId: keyMetadata.keyId, plaintext: utf8(plaintext) });
          acknowledged.push({ keyId: keyMetadata.keyId, ciphertextBlob, plaintext });
        } catch {
          return; // B is gone
        }
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    await eventually(async () => {
      expect(acknowledged.length).toBeGreaterThanOrEqual(10);
    }, 10_000);
    const exited = new Promise((resolve) => nodeB.process.once('exit', resolve));
    nodeB.process.kill('SIGKILL');
    await exited;
    stop = true;
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);
    for (const item of acknowledged) {
      expect((await a.describeKey({ keyId: item.keyId })).keyMetadata.keyState).toBe('Enabled');
      const { plaintext } = await a.decrypt({ ciphertextBlob: item.ciphertextBlob });
      expect(new TextDecoder().decode(plaintext)).toBe(item.plaintext);
    }
  }, 30_000);
});
