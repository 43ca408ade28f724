// The built `custos` binary as a CA: a root made with `key certificate self-signed --ca`, an openssl CSR issued with
// `key certificate issue`, openssl verifying the result, `trust verify` exiting 0, and 1 with one error line after
// the anchor is deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openssl } from '../helpers/x509-outside.js';
import { type TestServer, errorCode, startTestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

describe('custos as a CA, through the built CLI', { timeout: 120_000 }, () => {
  it('makes a root, issues an openssl CSR, and verifies the chain with openssl and custos trust verify', async () => {
    const file = (name: string) => join(t.dir, name);
    const created = await t.run(['key', 'create', '--spec', 'ECC_NIST_P384', '--usage', 'SIGN_VERIFY', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const ca = (JSON.parse(created.stdout.toString()) as { keyId: string }).keyId;
    const root = await t.run([
      'key',
      'certificate',
      'self-signed',
      '--key',
      ca,
      '--subject',
      'CN=Bin Root,O=Acme',
      '--days',
      '365',
      '--ca',
      '--out',
      file('root.pem'),
    ]);
    expect(root.code, root.stderr).toBe(0);
    const made = openssl(
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      file('svc.key'),
      '-subj',
      '/CN=svc.acme.example',
      '-out',
      file('svc.csr'),
    );
    expect(made.status, made.stderr).toBe(0);
    const issued = await t.run([
      'key',
      'certificate',
      'issue',
      '--key',
      ca,
      '--csr',
      file('svc.csr'),
      '--days',
      '30',
      '--chain',
      '--out',
      file('svc-chain.pem'),
    ]);
    expect(issued.code, issued.stderr).toBe(0);
    expect(openssl('verify', '-CAfile', file('root.pem'), file('svc-chain.pem')).stdout).toContain(': OK');

    const added = await t.run(['trust', 'add', '--in', file('root.pem'), '--json']);
    expect(added.code, added.stderr).toBe(0);
    const { id } = JSON.parse(added.stdout.toString()) as { id: string };
    const valid = await t.run(['trust', 'verify', '--in', file('svc-chain.pem')]);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout.toString()).toBe('chain valid: CN=svc.acme.example <- CN=Bin Root, O=Acme\n');

    expect((await t.run(['trust', 'delete', id])).code).toBe(0);
    const refused = await t.run(['trust', 'verify', '--in', file('svc-chain.pem')]);
    expect(refused.code).toBe(1);
    expect(errorCode(refused)).toBe('CERTIFICATE_NOT_TRUSTED');
  });
});
