// --json on every command, walked: a command either declares --json (and honours it: the ones that used to ignore
// it are checked here, the others beside their commands) or refuses it with a usage error, given before or after
// its name. And the hints where the cause is knowable: an RSA key's ciphertext needs --algorithm.
import { createPublicKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { commandPath, honoursJson } from '../../src/cli/custos-command.js';
import { UsageError } from '../../src/cli/errors.js';
import { buildProgram } from '../../src/cli/main.js';
import { walkCommands } from '../../src/cli/serves.js';
import { custosAgainst, runCustos } from '../helpers/cli-in-process.js';

/** Commands that run something (a leaf): `custos key create`, not the group `custos key`. */
const leaves = walkCommands(buildProgram()).filter(({ cmd }) => cmd.commands.length === 0);
const refusing = leaves.filter(({ cmd }) => !honoursJson(cmd)).map(({ cmd }) => commandPath(cmd).split(' ').slice(1));

describe('--json on every command', () => {
  it('only commands with no JSON output to give lack --json (a new one must honour it or be listed here)', () => {
    expect(refusing.map((p) => p.join(' '))).toEqual(['server']);
    expect(leaves.length).toBeGreaterThan(80);
  });

  it.each(refusing)('custos %s refuses --json after and before its name, with a usage error', async (...path) => {
    await expect(runCustos([...path, '--json'])).rejects.toThrow(UsageError);
    await expect(runCustos(['--json', ...path])).rejects.toThrow(/has no JSON output/);
  });
});

describe('--json and hints against a server', { timeout: 60_000 }, () => {
  let dir: string;
  let server: RunningServer;
  let admin: RemoteKms;
  const custos = custosAgainst(() => server);
  const json = async (...args: string[]) => JSON.parse(await custos(...args, '--json')) as Record<string, unknown>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-json-'));
    server = await startServer({ dataDir: join(dir, 'data'), listen: '127.0.0.1:0', logger: false });
    admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
  });
  afterAll(async () => {
    await admin?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('encrypt --json prints the Encrypt result (blob as base64), and refuses an input too large for one call', async () => {
    const { keyMetadata } = await admin.createKey({});
    const small = join(dir, 'small.txt');
    await writeFile(small, 'hello');
    const r = await json('encrypt', '--key', keyMetadata.keyId, '--in', small);
    expect(r).toMatchObject({ keyId: keyMetadata.arn, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    const blob = Buffer.from(r.ciphertextBlob as string, 'base64');
    expect(Buffer.from((await admin.decrypt({ ciphertextBlob: blob })).plaintext).toString()).toBe('hello');
    const big = join(dir, 'big.bin');
    await writeFile(big, Buffer.alloc(5000));
    await expect(custos('encrypt', '--key', keyMetadata.keyId, '--in', big, '--json')).rejects.toThrow(UsageError);
  });

  it('public-key, random, jws sign, jwt sign and key jwk print JSON under --json', async () => {
    const { kid } = await admin.jwk.generateKeyPair('ES256');
    const pk = await json('public-key', '--key', kid);
    expect(
      createPublicKey({ key: Buffer.from(pk.publicKey as string, 'base64'), format: 'der', type: 'spki' }).type,
    ).toBe('public');
    expect(pk.keySpec).toBe('ECC_NIST_P256');
    expect(Buffer.from((await json('random', '--bytes', '16')).plaintext as string, 'base64')).toHaveLength(16);
    const payload = join(dir, 'payload');
    await writeFile(payload, 'p');
    expect((await json('jws', 'sign', '--key', kid, '--in', payload)).jws).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await json('jwt', 'sign', '--key', kid, '--claims', '{"sub":"a"}')).jwt).toMatch(
      /^[\w-]+\.[\w-]+\.[\w-]+$/,
    );
    expect(((await json('key', 'jwk', kid)).jwk as { kid: string }).kid).toBe(kid);
  });

  it('decrypt with an RSA key and no --algorithm says RSA keys need --algorithm RSAES_OAEP_SHA_1|RSAES_OAEP_SHA_256', async () => {
    const { keyMetadata } = await admin.createKey({ keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' });
    const keyId = keyMetadata.keyId;
    const plain = join(dir, 'rsa.txt');
    await writeFile(plain, 'rsa secret');
    const enc = await json('encrypt', '--key', keyId, '--algorithm', 'RSAES_OAEP_SHA_256', '--in', plain);
    const blob = join(dir, 'rsa.blob');
    await writeFile(blob, Buffer.from(enc.ciphertextBlob as string, 'base64'));
    const hint = custos('decrypt', '--key', keyId, '--in', blob);
    await expect(hint).rejects.toThrow(UsageError);
    await expect(hint).rejects.toThrow(/RSA keys need --algorithm RSAES_OAEP_SHA_1\|RSAES_OAEP_SHA_256/);
    const ok = await json('decrypt', '--key', keyId, '--algorithm', 'RSAES_OAEP_SHA_256', '--in', blob);
    expect(Buffer.from(ok.plaintext as string, 'base64').toString()).toBe('rsa secret');
    // A symmetric key's bad ciphertext stays INVALID_CIPHERTEXT, with no hint.
    const { keyMetadata: aes } = await admin.createKey({});
    await expect(custos('decrypt', '--key', aes.keyId, '--in', blob)).rejects.toMatchObject({
      code: 'INVALID_CIPHERTEXT',
    });
  });
});
