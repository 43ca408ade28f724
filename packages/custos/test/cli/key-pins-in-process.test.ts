// `--pin-file` on the CLI commands that use keys, in-process against a real server: encrypt, decrypt, sign and
// verify with a PIN-protected key work with the PIN file and fail with the key's PIN codes without it or with a
// wrong one; an unreadable or malformed file is a usage error.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { UsageError } from '../../src/cli/errors.js';
import { custosAgainst } from '../helpers/cli-in-process.js';

const PIN_FIELDS = {
  pinPolicy: { minLength: 4, maxLength: 8, format: 'numeric', retryLimit: 5 },
  pin: '2468',
} as const;

describe('custos --pin-file, in-process', () => {
  let dir: string;
  let server: RunningServer;
  let aesKey: string;
  let signKey: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-pins-'));
    server = await startServer({
      dataDir: join(dir, 'data'),
      listen: '127.0.0.1:0',
      logger: false,
      kmsOptions: { maintenanceIntervalMs: 0 },
    });
    const admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
    aesKey = (await admin.createKey(PIN_FIELDS)).keyMetadata.keyId;
    signKey = (await admin.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', ...PIN_FIELDS })).keyMetadata
      .keyId;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const custos = custosAgainst(() => server);
  const file = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('encrypt and decrypt with --pin-file; without it KEY_PIN_REQUIRED, with a wrong one KEY_PIN_INVALID', async () => {
    const pinFile = await file('pin', '2468\n');
    const input = await file('plain.txt', 'pinned secret');
    const sealed = join(dir, 'sealed.bin');
    const opened = join(dir, 'opened.txt');
    expect(await failure(custos('encrypt', '--key', aesKey, '--in', input, '--out', sealed))).toMatchObject({
      code: 'KEY_PIN_REQUIRED',
    });
    await custos('encrypt', '--key', aesKey, '--in', input, '--out', sealed, '--pin-file', pinFile);
    const wrong = await file('wrong-pin', '1357');
    expect(await failure(custos('decrypt', '--in', sealed, '--out', opened, '--pin-file', wrong))).toMatchObject({
      code: 'KEY_PIN_INVALID',
    });
    await custos('decrypt', '--in', sealed, '--out', opened, '--pin-file', pinFile);
    expect(await readFile(opened, 'utf8')).toBe('pinned secret');
  });

  it('sign and verify with --pin-file', async () => {
    const pinFile = await file('pin-crlf', '2468\r\nignored second line\n');
    const input = await file('message.txt', 'sign me');
    const signature = join(dir, 'message.sig');
    const sign = ['sign', '--key', signKey, '--algorithm', 'ECDSA_SHA_256', '--in', input, '--out', signature];
    expect(await failure(custos(...sign))).toMatchObject({ code: 'KEY_PIN_REQUIRED' });
    await custos(...sign, '--pin-file', pinFile);
    const verify = ['verify', '--key', signKey, '--algorithm', 'ECDSA_SHA_256', '--in', input];
    await custos(...verify, '--signature-file', signature, '--pin-file', pinFile);
  });

  it('key create --pin-policy --new-pin-file makes a PIN key and prints its PUK once; --policy-file sets its policy', async () => {
    const newPin = await file('new-pin', '97531\n');
    const policy = await file(
      'policy.json',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Root',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::000000000000:root' },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      }),
    );
    const created = JSON.parse(
      await custos(
        'key',
        'create',
        '--json',
        '--policy-file',
        policy,
        '--pin-policy',
        '{"minLength":5,"maxLength":8,"format":"numeric","retryLimit":3}',
        '--new-pin-file',
        newPin,
      ),
    ) as { keyId: string; puk: string };
    expect(created.puk).toMatch(/^[0-9]{20}$/);
    const input = await file('plain3.txt', 'made by the CLI');
    const out = join(dir, 'made.bin');
    expect(await failure(custos('encrypt', '--key', created.keyId, '--in', input, '--out', out))).toMatchObject({
      code: 'KEY_PIN_REQUIRED',
    });
    await custos('encrypt', '--key', created.keyId, '--in', input, '--out', out, '--pin-file', newPin);
    expect(JSON.parse(await custos('key', 'policy', 'get', created.keyId, '--json')).policy).toContain('"Sid":"Root"');
    // A PIN the policy refuses, or the two options apart, are refused before anything is made.
    const short = await file('short-pin', '12\n');
    const refused = custos(
      'key',
      'create',
      '--pin-policy',
      '{"minLength":5,"maxLength":8,"format":"numeric","retryLimit":3}',
      '--new-pin-file',
      short,
    );
    expect(await failure(refused)).toMatchObject({ code: 'KEY_PIN_POLICY_VIOLATION' });
    expect(await failure(custos('key', 'create', '--new-pin-file', newPin))).toBeInstanceOf(UsageError);
  });

  it('key unblock: with the PUK (and a new PIN), or as an admin; a wrong PUK is KEY_PUK_INVALID', async () => {
    const pin = await file('unblock-pin', '55555\n');
    const policy = '{"minLength":5,"maxLength":8,"format":"numeric","retryLimit":2}';
    const made = JSON.parse(await custos('key', 'create', '--json', '--pin-policy', policy, '--new-pin-file', pin)) as {
      keyId: string;
      puk: string;
    };
    const input = await file('plain4.txt', 'x');
    const out = join(dir, 'x4.bin');
    const wrong = await file('wrong-5', '11111\n');
    const encrypt = (pinFile: string) =>
      custos('encrypt', '--key', made.keyId, '--in', input, '--out', out, '--pin-file', pinFile);
    const block = async () => {
      for (let i = 0; i < 2; i++) await failure(encrypt(wrong));
      expect(await failure(encrypt(pin))).toMatchObject({ code: 'KEY_PIN_BLOCKED' });
    };
    await block();
    const wrongPuk = await file('wrong-puk', `${made.puk === '0'.repeat(20) ? '1'.repeat(20) : '0'.repeat(20)}\n`);
    expect(await failure(custos('key', 'unblock', made.keyId, '--puk-file', wrongPuk))).toMatchObject({
      code: 'KEY_PUK_INVALID',
    });
    const puk = await file('puk', `${made.puk}\n`);
    const newPin = await file('new-pin-2', '24680\n');
    expect(await custos('key', 'unblock', made.keyId, '--puk-file', puk, '--new-pin-file', newPin)).toMatch(/new PIN/);
    await encrypt(newPin);
    expect(await failure(custos('key', 'unblock', made.keyId, '--new-pin-file', newPin))).toBeInstanceOf(UsageError);
    await failure(encrypt(wrong));
    await failure(encrypt(wrong));
    await custos('key', 'unblock', made.keyId); // the admin's token: no PUK needed
    await encrypt(newPin);
  });

  it('an unreadable or malformed PIN file is a usage error, before any call', async () => {
    const input = await file('plain2.txt', 'x');
    const out = join(dir, 'x.bin');
    for (const pinFile of [join(dir, 'missing'), await file('empty-pin', '\n'), await file('spaced', '24 68\n')]) {
      const error = await failure(
        custos('encrypt', '--key', aesKey, '--in', input, '--out', out, '--pin-file', pinFile),
      );
      expect(error).toBeInstanceOf(UsageError);
    }
  });
});
