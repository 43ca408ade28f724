// `custos key policy get|put|list`, and tokens and access keys with no role (issue 16), end to end against a real
// server: a role-less token is refused until a key policy put from a file names its principal.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, errorCode, startTestServer } from './helpers.js';

let t: TestServer;
let dir: string;

beforeAll(async () => {
  t = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'custos-policy-cli-'));
});
afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('custos key policy', { timeout: 120_000 }, () => {
  it('token and access-key create work with no --role; key policy put lets that principal encrypt; get and list', async () => {
    const created = await t.run(['token', 'create', '--principal', 'billing', '--tag', 'team=billing', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const tok = JSON.parse(created.stdout.toString()) as { token: string; roles: string[]; tags: object };
    expect(tok.roles).toEqual([]);
    expect(tok.tags).toEqual({ team: 'billing' });
    const ak = await t.run(['access-key', 'create', '--principal', 'billing', '--json']);
    expect(ak.code, ak.stderr).toBe(0);
    expect((JSON.parse(ak.stdout.toString()) as { roles: string[] }).roles).toEqual([]);

    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    const asBilling = { CUSTOS_TOKEN: tok.token };
    const refused = await t.run(['encrypt', '--key', keyId], { input: 'x', env: asBilling });
    expect(errorCode(refused)).toBe('ACCESS_DENIED');

    const file = join(dir, 'policy.json');
    const statement = (principal: string) => ({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::000000000000:${principal}` },
      Action: principal === 'root' ? 'kms:*' : 'kms:Encrypt',
      Resource: '*',
    });
    await writeFile(
      file,
      JSON.stringify({ Version: '2012-10-17', Statement: [statement('root'), statement('user/billing')] }),
    );
    const put = await t.run(['key', 'policy', 'put', keyId, file]);
    expect(put.code, put.stderr).toBe(0);
    expect((await t.run(['encrypt', '--key', keyId], { input: 'x', env: asBilling })).code).toBe(0);

    const got = await t.run(['key', 'policy', 'get', keyId, '--json']);
    expect(JSON.parse((JSON.parse(got.stdout.toString()) as { policy: string }).policy)).toHaveProperty('Statement');
    const listed = await t.run(['key', 'policy', 'list', keyId]);
    expect(listed.stdout.toString().trim()).toBe('default');

    await writeFile(file, JSON.stringify({ Version: '2012-10-17', Statement: [statement('user/billing')] }));
    const lockout = await t.run(['key', 'policy', 'put', keyId, file]);
    expect(errorCode(lockout)).toBe('MALFORMED_POLICY_DOCUMENT');
    const bypass = await t.run(['key', 'policy', 'put', keyId, file, '--bypass-policy-lockout-safety-check']);
    expect(bypass.code, bypass.stderr).toBe(0);
  });
});
