// `custos keyring …` run in-process against a real server: policies (list --json's shape), certificates, master
// keys, CSRs, uploads, revoke, and encrypt/decrypt in MOSIP's format (checked by the Java harness), with error codes.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { custosAgainst } from '../helpers/cli-in-process.js';
import { compileJce, describeJce, GOLDEN_CERT_PATH, GOLDEN_KEY_PATH, type JceHarness } from '../helpers/mosip-jce.js';

describeJce('custos keyring')('custos keyring, in-process', () => {
  let dir: string;
  let server: RunningServer;
  let jce: JceHarness;
  const file = (name: string) => join(dir, name);
  const custos = custosAgainst(() => server);
  const codeOf = async (run: Promise<unknown>) =>
    (
      (await run.then(
        () => undefined,
        (e: unknown) => e,
      )) as { code?: string } | undefined
    )?.code;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-keyring-'));
    server = await startServer({ dataDir: join(dir, 'data'), listen: '127.0.0.1:0', logger: false });
    jce = compileJce();
  });
  afterAll(async () => {
    jce.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('policy list --json prints MOSIP’s defaults; set and delete change them', async () => {
    const list = JSON.parse(await custos('keyring', 'policy', 'list', '--json')) as Record<string, unknown>[];
    expect(list).toContainEqual({
      applicationId: 'ROOT',
      validityDays: 2920,
      preExpireDays: 1125,
      active: true,
      accessAllowed: 'NA',
    });
    expect(Object.keys(list[0] ?? {}).sort()).toEqual([
      'accessAllowed',
      'active',
      'applicationId',
      'preExpireDays',
      'validityDays',
    ]);
    await custos(
      'keyring',
      'policy',
      'set',
      'PARTNERS',
      '--validity-days',
      '365',
      '--pre-expire-days',
      '30',
      '--access-allowed',
      'NA',
    );
    const after = JSON.parse(await custos('keyring', 'policy', 'list', '--json')) as { applicationId: string }[];
    expect(after.map((p) => p.applicationId)).toContain('PARTNERS');
    expect(await custos('keyring', 'policy', 'list')).toMatch(/APPLICATION\s+VALIDITY DAYS/);
    const one = JSON.parse(await custos('keyring', 'policy', 'get', 'PARTNERS', '--json')) as Record<string, unknown>;
    expect(one).toMatchObject({ applicationId: 'PARTNERS', preExpireDays: 30, accessAllowed: 'NA' });
    expect(await custos('keyring', 'policy', 'get', 'PARTNERS')).toMatch(/Pre-expire days\s+30/);
    await custos('keyring', 'policy', 'delete', 'PARTNERS');
    expect(await codeOf(custos('keyring', 'policy', 'get', 'PARTNERS'))).toBe('KEYRING_POLICY_NOT_FOUND');
    expect(await codeOf(custos('keyring', 'policy', 'delete', 'PARTNERS'))).toBe('KEYRING_POLICY_NOT_FOUND');
    expect(
      await codeOf(custos('keyring', 'policy', 'set', 'X', '--validity-days', '0', '--pre-expire-days', '1')),
    ).toBeDefined();
  });

  it('symmetric-key makes an AES-256 key once, keeps it without --force and replaces it with --force', async () => {
    const first = JSON.parse(
      await custos('keyring', 'symmetric-key', '--app', 'REGISTRATION', '--ref', 'SYM1', '--json'),
    ) as { keyId: string; generated: boolean };
    expect(first.generated).toBe(true);
    const again = JSON.parse(
      await custos('keyring', 'symmetric-key', '--app', 'REGISTRATION', '--ref', 'SYM1', '--json'),
    ) as { keyId: string; generated: boolean };
    expect(again).toEqual({ keyId: first.keyId, generated: false });
    expect(await custos('keyring', 'symmetric-key', '--app', 'REGISTRATION', '--ref', 'SYM1', '--force')).toMatch(
      /^generated /,
    );
    expect(await codeOf(custos('keyring', 'symmetric-key', '--app', 'NO_SUCH_APP', '--ref', 'X'))).toBe(
      'KEYRING_POLICY_NOT_FOUND',
    );
  });

  it('certificate, --all, generate-master, csr, upload-certificate, revoke', async () => {
    const pem = await custos('keyring', 'certificate', '--app', 'REGISTRATION', '--ref', '10001');
    expect(new X509Certificate(pem).subject).toContain('CN=REGISTRATION-10001');
    const all = JSON.parse(
      await custos('keyring', 'certificate', '--app', 'REGISTRATION', '--ref', '10001', '--all', '--json'),
    ) as unknown[];
    expect(all).toHaveLength(1);
    expect(await custos('keyring', 'generate-master', '--app', 'RESIDENT')).toMatch(/BEGIN CERTIFICATE/);
    expect(await custos('keyring', 'generate-master', '--app', 'RESIDENT', '--csr', '--cn', 'Resident')).toMatch(
      /BEGIN CERTIFICATE REQUEST/,
    );
    expect(await custos('keyring', 'csr', '--app', 'REGISTRATION', '--ref', '10001')).toMatch(
      /BEGIN CERTIFICATE REQUEST/,
    );
    await writeFile(file('own.pem'), pem);
    expect(
      await custos('keyring', 'upload-certificate', '--app', 'REGISTRATION', '--ref', '10001', '--in', file('own.pem')),
    ).toBe('Upload Success\n');
    expect(
      await codeOf(
        custos('keyring', 'upload-certificate', '--app', 'REGISTRATION', '--ref', '10001', '--in', GOLDEN_CERT_PATH),
      ),
    ).toBe('KEYRING_CERTIFICATE_MISMATCH');
    expect(await custos('keyring', 'revoke', '--app', 'REGISTRATION', '--ref', '10001')).toBe('Key Revoked\n');
    expect(await custos('keyring', 'certificate', '--app', 'REGISTRATION', '--ref', '10001')).not.toBe(pem);
    expect(await codeOf(custos('keyring', 'revoke', '--app', 'KERNEL', '--ref', 'SIGN'))).toBe(
      'KEYRING_REVOKE_REFUSED',
    );
    expect(await codeOf(custos('keyring', 'certificate', '--app', 'NOPE'))).toBe('KEYRING_POLICY_NOT_FOUND');
  });

  it('encrypt --app --ref / decrypt round-trip in MOSIP’s text; a partner’s ciphertext decrypts in Java', async () => {
    await writeFile(file('plain.txt'), 'hello MOSIP');
    const text = await custos(
      'keyring',
      'encrypt',
      '--app',
      'REGISTRATION',
      '--ref',
      '10002',
      '--in',
      file('plain.txt'),
    );
    expect(text).toMatch(/^[A-Za-z0-9_-]+={0,2}\n$/);
    await writeFile(file('sealed.txt'), text);
    expect(
      await custos('keyring', 'decrypt', '--app', 'REGISTRATION', '--ref', '10002', '--in', file('sealed.txt')),
    ).toBe('hello MOSIP');
    const aad = Buffer.from('context').toString('base64');
    const withAad = await custos(
      'keyring',
      'encrypt',
      '--app',
      'REGISTRATION',
      '--ref',
      '10002',
      '--in',
      file('plain.txt'),
      '--aad',
      aad,
    );
    await writeFile(file('aad.txt'), withAad);
    await custos(
      'keyring',
      'decrypt',
      '--app',
      'REGISTRATION',
      '--ref',
      '10002',
      '--in',
      file('aad.txt'),
      '--aad',
      aad,
      '--out',
      file('out.txt'),
    );
    expect(await readFile(file('out.txt'), 'utf8')).toBe('hello MOSIP');
    expect(
      await codeOf(custos('keyring', 'decrypt', '--app', 'REGISTRATION', '--ref', '10002', '--in', file('aad.txt'))),
    ).toBe('INVALID_CIPHERTEXT');

    await custos(
      'keyring',
      'upload-partner-certificate',
      '--app',
      'REGISTRATION',
      '--ref',
      'P2',
      '--in',
      GOLDEN_CERT_PATH,
    );
    const forPartner = await custos(
      'keyring',
      'encrypt',
      '--app',
      'REGISTRATION',
      '--ref',
      'P2',
      '--in',
      file('plain.txt'),
    );
    expect(await jce.decrypt(GOLDEN_KEY_PATH, GOLDEN_CERT_PATH, forPartner.trim())).toBe(
      Buffer.from('hello MOSIP').toString('base64'),
    );

    await writeFile(file('garbage.txt'), 'not*base64');
    expect(
      await codeOf(
        custos('keyring', 'decrypt', '--app', 'REGISTRATION', '--ref', '10002', '--in', file('garbage.txt')),
      ),
    ).toBe('INVALID_CIPHERTEXT');
    await writeFile(file('empty.txt'), '');
    expect(
      await codeOf(custos('keyring', 'encrypt', '--app', 'REGISTRATION', '--ref', '10002', '--in', file('empty.txt'))),
    ).toBe('USAGE');
    expect(await codeOf(custos('keyring', 'encrypt', '--app', 'REGISTRATION', '--in', file('plain.txt')))).toBe(
      'KEYRING_MASTER_KEY_USE',
    );
  });
});
