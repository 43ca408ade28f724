// `custos key grant create|list|retire|revoke`, run in-process against a real server: a grant made for a principal
// with no role, used with that principal's token, listed, retired by its retiring principal and revoked; --json
// output; each error path by its code.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { runCustos, custosAgainst } from '../helpers/cli-in-process.js';

describe('custos key grant, in-process', () => {
  let dir: string;
  let server: RunningServer;
  let admin: RemoteKms;
  let keyId: string;
  const custos = custosAgainst(() => server);
  /** `custos` as another principal, by its token. */
  const custosAs = (token: string, ...args: string[]) =>
    runCustos([...args, '--endpoint', server.url, '--token', token]);
  const codeOf = async (run: Promise<unknown>) =>
    run.then(
      () => undefined,
      (e: unknown) => (e as { code?: string }).code,
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-grants-'));
    server = await startServer({ dataDir: join(dir, 'data'), listen: '127.0.0.1:0', logger: false });
    admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
    keyId = (await admin.createKey({})).keyMetadata.keyId;
    await writeFile(join(dir, 'plain.txt'), 'x');
  });
  afterAll(async () => {
    await admin?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('create → use as the grantee → list → retire by the retiring principal; revoke', async () => {
    const { token: billing } = await admin.createToken({ roles: [], principal: 'cli-billing' });
    const { token: ops } = await admin.createToken({ roles: [], principal: 'cli-ops' });
    expect(
      await codeOf(
        custosAs(billing, 'encrypt', '--key', keyId, '--in', join(dir, 'plain.txt'), '--out', join(dir, 'blob.bin')),
      ),
    ).toBe('ACCESS_DENIED');
    const created = JSON.parse(
      await custos(
        'key',
        'grant',
        'create',
        keyId,
        '--grantee',
        'cli-billing',
        '--operation',
        'Encrypt',
        '--operation',
        'Decrypt',
        '--retiring-principal',
        'cli-ops',
        '--context-subset',
        'app=billing',
        '--name',
        'cli',
        '--json',
      ),
    ) as { grantId: string; grantToken: string };
    expect(created.grantId).toMatch(/^[0-9a-f]{64}$/);
    await custosAs(
      billing,
      'encrypt',
      '--key',
      keyId,
      '--in',
      join(dir, 'plain.txt'),
      '--out',
      join(dir, 'blob.bin'),
      '--context',
      'app=billing',
    );
    expect(
      await codeOf(
        custosAs(
          billing,
          'encrypt',
          '--key',
          keyId,
          '--in',
          join(dir, 'plain.txt'),
          '--out',
          join(dir, 'blob.bin'),
          '--context',
          'app=sales',
        ),
      ),
    ).toBe('ACCESS_DENIED');
    const listed = JSON.parse(await custos('key', 'grant', 'list', keyId, '--json')) as {
      grants: { grantId: string; operations: string[]; constraints: unknown }[];
    };
    expect(listed.grants).toMatchObject([
      {
        grantId: created.grantId,
        operations: ['Encrypt', 'Decrypt'],
        constraints: { encryptionContextSubset: { app: 'billing' } },
      },
    ]);
    expect(await custos('key', 'grant', 'list', keyId)).toContain(created.grantId);
    const retirable = JSON.parse(await custos('key', 'grant', 'list', '--retiring-principal', 'cli-ops', '--json')) as {
      grants: { grantId: string }[];
    };
    expect(retirable.grants.map((g) => g.grantId)).toEqual([created.grantId]);
    expect(await codeOf(custosAs(billing, 'key', 'grant', 'retire', '--grant-token', created.grantToken))).toBe(
      'ACCESS_DENIED',
    );
    expect(await custosAs(ops, 'key', 'grant', 'retire', '--grant-token', created.grantToken)).toContain('retired');
    expect(
      await codeOf(
        custosAs(
          billing,
          'encrypt',
          '--key',
          keyId,
          '--in',
          join(dir, 'plain.txt'),
          '--out',
          join(dir, 'blob.bin'),
          '--context',
          'app=billing',
        ),
      ),
    ).toBe('ACCESS_DENIED');

    const second = JSON.parse(
      await custos('key', 'grant', 'create', keyId, '--grantee', 'cli-billing', '--operation', 'Encrypt', '--json'),
    ) as { grantId: string };
    expect(await custos('key', 'grant', 'revoke', keyId, second.grantId)).toContain('revoked');
    expect(await codeOf(custos('key', 'grant', 'revoke', keyId, second.grantId))).toBe('NOT_FOUND');
  });

  it('refuses what it cannot send, and reports the server refusals by code', async () => {
    expect(await codeOf(custos('key', 'grant', 'create', keyId, '--grantee', 'x', '--operation', 'Fly'))).toBe('USAGE');
    expect(await codeOf(custos('key', 'grant', 'list'))).toBe('USAGE');
    expect(await codeOf(custos('key', 'grant', 'retire', keyId))).toBe('USAGE');
    expect(await codeOf(custos('key', 'grant', 'create', keyId, '--grantee', 'x', '--operation', 'Sign'))).toBe(
      'VALIDATION_ERROR',
    );
    expect(await codeOf(custos('key', 'grant', 'retire', '--grant-token', 'nope'))).toBe('INVALID_GRANT_TOKEN');
    expect(await codeOf(custos('key', 'grant', 'revoke', keyId, 'nope'))).toBe('INVALID_GRANT_ID');
  });
});
