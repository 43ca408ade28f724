// `custos encapsulate`, `custos decapsulate` and `custos sign --message-type EXTERNAL_MU`, in-process (buildProgram)
// against a real server: files and --json agree with what the server and noble say; usage errors are refused.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { UsageError } from '../../src/cli/errors.js';
import { custosAgainst } from '../helpers/cli-in-process.js';

/** SHAKE256 with a 64-byte output (node:crypto). */
const shake256 = (data: Uint8Array, _options: { dkLen: 64 }) =>
  new Uint8Array(createHash('shake256', { outputLength: 64 }).update(data).digest());

let dir: string;
let server: RunningServer;
let admin: RemoteKms;
const custos = custosAgainst(() => server);
const json = async (...args: string[]) => JSON.parse(await custos(...args, '--json')) as Record<string, unknown>;
const b64 = (v: unknown) => Buffer.from(v as string, 'base64');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-cli-pq-'));
  server = await startServer({
    dataDir: join(dir, 'data'),
    listen: '127.0.0.1:0',
    logger: false,
    kmsOptions: { maintenanceIntervalMs: 0 },
  });
  admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
});
afterAll(async () => {
  await admin?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('post-quantum commands', { timeout: 60_000 }, () => {
  it('encapsulate writes the secret and the ciphertext; decapsulate recovers the secret from the file', async () => {
    const id = (await admin.createKey({ keySpec: 'ML_KEM_768', keyUsage: 'ENCAPSULATE_DECAPSULATE' })).keyMetadata
      .keyId;
    const ciphertextFile = join(dir, 'kem.ct');
    const secretFile = join(dir, 'kem.secret');
    await custos('encapsulate', '--key', id, '--ciphertext-out', ciphertextFile, '--out', secretFile);
    const ciphertext = await readFile(ciphertextFile);
    expect(ciphertext).toHaveLength(1088);
    const r = await json('decapsulate', '--key', id, '--in', ciphertextFile);
    expect(b64(r.sharedSecret).equals(await readFile(secretFile))).toBe(true);
    const both = await json('encapsulate', '--key', id);
    expect(b64(both.sharedSecretCiphertextBlob)).toHaveLength(1088);
    await expect(custos('encapsulate', '--key', id, '--out', secretFile)).rejects.toThrow(UsageError);
    await writeFile(ciphertextFile, ciphertext.subarray(1));
    await expect(custos('decapsulate', '--key', id, '--in', ciphertextFile, '--out', secretFile)).rejects.toMatchObject(
      {
        code: 'INVALID_CIPHERTEXT',
      },
    );
  });

  it('sign --message-type EXTERNAL_MU signs a 64-byte mu; the signature verifies over the message', async () => {
    const id = (await admin.createKey({ keySpec: 'ML_DSA_44', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    const spki = (await admin.getPublicKey({ keyId: id })).publicKey;
    const publicKey = spki.subarray(spki.length - 1312);
    const message = new TextEncoder().encode('hashed by the caller');
    const mu = shake256(Uint8Array.from([...shake256(publicKey, { dkLen: 64 }), 0, 0, ...message]), { dkLen: 64 });
    const muFile = join(dir, 'mu.bin');
    await writeFile(muFile, mu);
    const args = [
      'sign',
      '--key',
      id,
      '--algorithm',
      'ML_DSA_SHAKE_256',
      '--message-type',
      'EXTERNAL_MU',
      '--in',
      muFile,
    ];
    const r = await json(...args);
    expect(ml_dsa44.verify(b64(r.signature), message, publicKey)).toBe(true);
    await writeFile(muFile, mu.subarray(1));
    await expect(json(...args)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});
