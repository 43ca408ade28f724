// `custos key import-parameters`, `key import` and `key delete-imported-material` in-process against a real server:
// material wrapped by the CLI (RSAES_OAEP_SHA_256 for a secret key, RSA_AES_KEY_WRAP_SHA_256 for a private key) and
// by openssl from import-parameters' files, as AWS documents it; the imported key is proven to be the material.
import { execFileSync } from 'node:child_process';
import { createCipheriv, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { UsageError } from '../../src/cli/errors.js';
import { custosAgainst } from '../helpers/cli-in-process.js';

let dir: string;
let server: RunningServer;
let admin: RemoteKms;
const custos = custosAgainst(() => server);
const external = async (keySpec: string, keyUsage: string) =>
  (await admin.createKey({ keySpec, keyUsage, origin: 'EXTERNAL' } as never)).keyMetadata.keyId;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-cli-import-'));
  server = await startServer({ dataDir: join(dir, 'data'), listen: '127.0.0.1:0', logger: false });
  admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
});
afterAll(async () => {
  await admin?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

// A secret key is proven by a blob made before its material was deleted opening after the same material is
// imported again; a private key by its signatures verifying with the public key made outside.
describe('custos key import', { timeout: 60_000 }, () => {
  it('wraps a secret key with RSAES_OAEP_SHA_256, imports it, deletes it and imports it again', async () => {
    const id = await external('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const material = join(dir, 'aes.key');
    await writeFile(material, randomBytes(32));
    expect(await custos('key', 'import', id, '--material', material)).toMatch(/^imported key material into/);
    expect((await admin.describeKey({ keyId: id })).keyMetadata.keyState).toBe('Enabled');
    const blob = (await admin.encrypt({ keyId: id, plaintext: Buffer.from('x') })).ciphertextBlob;

    await custos('key', 'delete-imported-material', id);
    expect((await admin.describeKey({ keyId: id })).keyMetadata.keyState).toBe('PendingImport');
    await custos('key', 'import', id, '--material', material, '--wrapping-key-spec', 'RSA_3072');
    expect(Buffer.from((await admin.decrypt({ ciphertextBlob: blob })).plaintext).toString()).toBe('x');
  });

  it('wraps a PEM private key with RSA_AES_KEY_WRAP_SHA_256; signatures verify with the original public key', async () => {
    const id = await external('ECC_NIST_P256', 'SIGN_VERIFY');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = join(dir, 'ec.pem');
    await writeFile(pem, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const out = JSON.parse(await custos('key', 'import', id, '--material', pem, '--json')) as { keyId: string };
    expect(out.keyId).toContain(id);
    const message = Buffer.from('signed by imported material');
    const { signature } = await admin.sign({ keyId: id, message, signingAlgorithm: 'ECDSA_SHA_256' });
    expect(verify('sha256', message, publicKey, signature)).toBe(true);
  });

  it('imports material wrapped by openssl from the files import-parameters writes', async () => {
    const id = await external('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const [pub, token, key, wrapped] = ['wrap.der', 'import.token', 'plain.key', 'wrapped.bin'].map((f) =>
      join(dir, f),
    );
    const params = JSON.parse(
      await custos('key', 'import-parameters', id, '--public-key-out', pub!, '--import-token-out', token!, '--json'),
    ) as { parametersValidTo: string };
    expect(new Date(params.parametersValidTo).getTime()).toBeGreaterThan(Date.now());
    await writeFile(key!, randomBytes(32));
    execFileSync('openssl', [
      'pkeyutl',
      '-encrypt',
      '-in',
      key!,
      '-out',
      wrapped!,
      '-inkey',
      pub!,
      '-keyform',
      'DER',
      '-pubin',
      '-pkeyopt',
      'rsa_padding_mode:oaep',
      '-pkeyopt',
      'rsa_oaep_md:sha256',
      '-pkeyopt',
      'rsa_mgf1_md:sha256',
    ]);
    await custos('key', 'import', id, '--encrypted-material', wrapped!, '--import-token', token!);
    expect((await admin.describeKey({ keyId: id })).keyMetadata.keyState).toBe('Enabled');
  });

  it('refuses both or neither material option, a token without material, and a wrong wrap with the server code', async () => {
    const id = await external('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const f = join(dir, 'any.bin');
    await writeFile(f, randomBytes(32));
    await expect(custos('key', 'import', id)).rejects.toThrow(UsageError);
    await expect(custos('key', 'import', id, '--material', f, '--encrypted-material', f)).rejects.toThrow(UsageError);
    await expect(custos('key', 'import', id, '--encrypted-material', f)).rejects.toThrow(UsageError);
    await expect(custos('key', 'import', id, '--material', join(dir, 'missing'))).rejects.toThrow(UsageError);
    const token = join(dir, 'tok');
    await custos('key', 'import-parameters', id, '--import-token-out', token);
    const garbage = createCipheriv('aes-256-ecb', randomBytes(32), null).update(randomBytes(256));
    await writeFile(f, garbage);
    await expect(custos('key', 'import', id, '--encrypted-material', f, '--import-token', token)).rejects.toMatchObject(
      {
        code: expect.stringMatching(/^[A-Z_]+$/),
      },
    );
    expect((await admin.describeKey({ keyId: id })).keyMetadata.keyState).toBe('PendingImport');
  });
});
