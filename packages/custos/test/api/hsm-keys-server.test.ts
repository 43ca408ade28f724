// HSM-protected keys through the built server started with the PKCS#11 flags (SoftHSM2): `custos key create
// --protection HSM` (the built CLI), REST (describe, encrypt, sign), and the AWS SDK (Encrypt, Decrypt, Sign,
// GenerateDataKey, DescribeKey) on a key created natively; the PIN in no output.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { freePort, runCli, spawnCli } from '../cli/helpers.js';
import { describeSoftHsm, makeToken, type TestToken } from '../helpers/softhsm.js';

const PIN = '77031-server-hsm-pin';

describeSoftHsm('HSM-protected keys through the built server')(
  'HSM-protected keys: built server, CLI, REST, AWS SDK',
  () => {
    let root: string;
    let token: TestToken;
    let child: ChildProcess;
    let output = '';
    let url: string;
    let bearer: string;

    beforeAll(async () => {
      token = makeToken(PIN);
      root = await mkdtemp(join(tmpdir(), 'custos-hsm-server-'));
      const pinFile = join(root, 'pin');
      await writeFile(pinFile, `${PIN}\n`, { mode: 0o600 });
      const dataDir = join(root, 'data');
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      child = spawnCli([
        'server',
        '--data-dir',
        dataDir,
        '--listen',
        `127.0.0.1:${port}`,
        '--log-level',
        'info',
        '--root-of-trust',
        'pkcs11',
        '--pkcs11-module',
        token.module,
        '--pkcs11-token-label',
        token.label,
        '--pkcs11-pin-file',
        pinFile,
      ]);
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
      const until = Date.now() + 30_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
        if (
          await fetch(`${url}/healthz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        if (Date.now() > until) throw new Error('server did not become healthy');
        await new Promise((r) => setTimeout(r, 100));
      }
      bearer = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
    });
    afterAll(async () => {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).not.toContain(PIN);
      await rm(root, { recursive: true, force: true });
    });

    const rest = (path: string, body?: unknown): Promise<Response> =>
      fetch(`${url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    it('custos key create --protection HSM makes an HSM key; REST describes it as HSM and encrypts with it', async () => {
      const r = await runCli(['key', 'create', '--protection', 'HSM', '--json', '--endpoint', url, '--token', bearer]);
      expect(r.code, r.stderr).toBe(0);
      const { keyId, protectionLevel } = JSON.parse(r.stdout.toString()) as { keyId: string; protectionLevel: string };
      expect(protectionLevel).toBe('HSM');
      const described = await rest(`/v1/keys/${keyId}`);
      expect(
        ((await described.json()) as { keyMetadata: { protectionLevel: string } }).keyMetadata.protectionLevel,
      ).toBe('HSM');
      const enc = await rest(`/v1/keys/${keyId}/encrypt`, { plaintext: Buffer.from('hello token').toString('base64') });
      expect(enc.status).toBe(200);
      const { ciphertextBlob } = (await enc.json()) as { ciphertextBlob: string };
      const dec = await rest('/v1/decrypt', { ciphertextBlob });
      expect(Buffer.from(((await dec.json()) as { plaintext: string }).plaintext, 'base64').toString()).toBe(
        'hello token',
      );
      // A spec the token cannot do: UNSUPPORTED over REST and from the CLI, naming it.
      const bad = await rest('/v1/keys', {
        protectionLevel: 'HSM',
        keySpec: 'ECC_NIST_EDWARDS25519',
        keyUsage: 'SIGN_VERIFY',
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({
        error: { code: 'UNSUPPORTED', message: expect.stringMatching(/ECC_NIST_EDWARDS25519/) as unknown },
      });
      const cli = await runCli([
        'key',
        'create',
        '--protection',
        'HSM',
        '--spec',
        'ECC_SECG_P256K1',
        '--usage',
        'SIGN_VERIFY',
        '--endpoint',
        url,
        '--token',
        bearer,
      ]);
      expect(cli.code).not.toBe(0);
      expect(cli.stderr).toMatch(/UNSUPPORTED.*ECC_SECG_P256K1/);
    });

    it('serves an HSM key created natively through the AWS SDK: Encrypt, Decrypt, GenerateDataKey, Sign, DescribeKey', async () => {
      const admin = new RemoteKms({ endpoint: url, token: bearer });
      const { accessKeyId, secretAccessKey } = await admin.createAccessKey({ roles: ['admin'] });
      const aws = new KMSClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId, secretAccessKey },
        maxAttempts: 1,
      });
      const symmetric = (await admin.createKey({ protectionLevel: 'HSM' })).keyMetadata.keyId;
      const signing = (
        await admin.createKey({ protectionLevel: 'HSM', keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })
      ).keyMetadata.keyId;

      const enc = await aws.send(
        new EncryptCommand({ KeyId: symmetric, Plaintext: Buffer.from('via aws'), EncryptionContext: { a: 'b' } }),
      );
      const dec = await aws.send(
        new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: 'b' } }),
      );
      expect(Buffer.from(dec.Plaintext!).toString()).toBe('via aws');
      expect(dec.KeyId).toMatch(new RegExp(`${symmetric}$`));
      const dataKey = await aws.send(new GenerateDataKeyCommand({ KeyId: symmetric, KeySpec: 'AES_256' }));
      const again = await aws.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
      expect(Buffer.from(again.Plaintext!)).toEqual(Buffer.from(dataKey.Plaintext!));
      // The native API decrypts what the AWS protocol encrypted: the same ciphertext format.
      expect(
        Buffer.from(
          (await admin.decrypt({ ciphertextBlob: enc.CiphertextBlob!, encryptionContext: { a: 'b' } })).plaintext,
        ).toString(),
      ).toBe('via aws');

      const message = Buffer.from('signed in the token');
      const sig = await aws.send(
        new SignCommand({ KeyId: signing, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
      );
      const ok = await aws.send(
        new VerifyCommand({
          KeyId: signing,
          Message: message,
          Signature: sig.Signature,
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      expect(ok.SignatureValid).toBe(true);

      // AWS's DescribeKey has no ProtectionLevel: the field is native-only, the rest is as for any key.
      const described = await aws.send(new DescribeKeyCommand({ KeyId: symmetric }));
      expect(described.KeyMetadata).toMatchObject({ KeyId: symmetric, KeyState: 'Enabled', Origin: 'AWS_KMS' });
      expect(JSON.stringify(described.KeyMetadata)).not.toMatch(/ProtectionLevel/i);
    });
  },
);
