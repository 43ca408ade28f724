// `custos key ...` (create, list, describe, enable, disable, rotate, deletion, alias, tag) end to end against a real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, type TestServer, errorCode, startTestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view the assertions check
function json<T = Record<string, unknown>>(r: CliResult): T {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout.toString()) as T;
}

/** Setup through RemoteKms (the CLI's key create has tests of its own). */
async function createKey(options: { alias?: string; description?: string } = {}): Promise<string> {
  const { keyId } = (
    await t.kms.createKey(options.description === undefined ? {} : { description: options.description })
  ).keyMetadata;
  if (options.alias) await t.kms.createAlias({ aliasName: `alias/${options.alias}`, targetKeyId: keyId });
  return keyId;
}

async function describeKey(keyId: string) {
  return (await t.kms.describeKey({ keyId })).keyMetadata;
}

describe.concurrent('custos key', { timeout: 120_000 }, () => {
  it('key create --spec SYMMETRIC_DEFAULT --json prints the metadata with keyId', async () => {
    const m = json<{ keyId: string; keySpec: string; keyState: string }>(
      await t.run(['key', 'create', '--spec', 'SYMMETRIC_DEFAULT', '--json']),
    );
    expect(m.keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.keySpec).toBe('SYMMETRIC_DEFAULT');
    expect(m.keyState).toBe('Enabled');
  });

  it('key create takes --usage, --description, --alias (which it creates), --exportable and --origin EXTERNAL', async () => {
    const m = json<{ keyId: string; keyUsage: string; description: string; exportable: boolean }>(
      await t.run([
        'key',
        'create',
        '--spec',
        'HMAC_256',
        '--usage',
        'GENERATE_VERIFY_MAC',
        '--description',
        'macs',
        '--alias',
        'alias/macs',
        '--exportable',
        '--json',
      ]),
    );
    expect(m).toMatchObject({ keyUsage: 'GENERATE_VERIFY_MAC', description: 'macs', exportable: true });
    expect((await describeKey('alias/macs')).keyId).toBe(m.keyId);
    const ext = json<{ origin: string; keyState: string }>(
      await t.run(['key', 'create', '--origin', 'EXTERNAL', '--json']),
    );
    expect(ext).toMatchObject({ origin: 'EXTERNAL', keyState: 'PendingImport' });
  });

  it('key create with a taken alias says the key was created without it, in one line', async () => {
    await createKey({ alias: 'taken' });
    const r = await t.run(['key', 'create', '--alias', 'taken']);
    expect(r.code).toBe(1);
    expect(errorCode(r)).toBe('ALREADY_EXISTS');
    expect(r.stderr).toMatch(/was created, but not the alias/);
  });

  it('key list shows keys as a table, and as JSON with --json (global option before or after the command)', async () => {
    const id = await createKey({ alias: 'listed', description: 'in the list' });
    const human = await t.run(['key', 'list']);
    expect(human.code, human.stderr).toBe(0);
    const line = human.stdout
      .toString()
      .split('\n')
      .find((l) => l.startsWith(id));
    expect(line).toMatch(/SYMMETRIC_DEFAULT\s+ENCRYPT_DECRYPT\s+Enabled\s+alias\/listed\s+in the list/);
    expect(human.stdout.toString().split('\n')[0]).toMatch(/^KEY ID\s+SPEC\s+USAGE\s+STATE/);
    for (const args of [
      ['key', 'list', '--json'],
      ['--json', 'key', 'list'],
    ]) {
      expect(json<{ keys: { keyId: string }[] }>(await t.run(args)).keys.map((k) => k.keyId)).toContain(id);
    }
  });

  it('key list --app/--ref lists the keys of a keyring; key describe takes keyring/<APP>/<REF>', async () => {
    const base = (await t.kms.getKeyringCertificate({ applicationId: 'RESIDENT', referenceId: 'cli' })).keyId;
    const master = (await t.kms.getKeyringCertificate({ applicationId: 'RESIDENT' })).keyId;
    const ring = json<{ keys: { keyId: string }[] }>(
      await t.run(['key', 'list', '--app', 'RESIDENT', '--ref', 'cli', '--json']),
    );
    expect(ring.keys.map((k) => k.keyId)).toEqual([base]);
    const app = json<{ keys: { keyId: string }[] }>(await t.run(['key', 'list', '--app', 'RESIDENT', '--json']));
    expect(app.keys.map((k) => k.keyId).sort()).toEqual([base, master].sort());
    const described = json<{ keyId: string }>(await t.run(['key', 'describe', 'keyring/RESIDENT/cli', '--json']));
    expect(described.keyId).toBe(base);
    const refOnly = await t.run(['key', 'list', '--ref', 'cli', '--json']);
    expect(errorCode(refOnly)).toBe('VALIDATION_ERROR');
  });

  it('key describe shows fields for people and metadata for scripts', async () => {
    const id = await createKey({ description: 'described' });
    const human = await t.run(['key', 'describe', id]);
    expect(human.code).toBe(0);
    expect(human.stdout.toString()).toMatch(new RegExp(`^KeyId\\s+${id}$`, 'm'));
    expect(human.stdout.toString()).toMatch(/^Description\s+described$/m);
    expect(json(await t.run(['key', 'describe', id, '--json']))).toMatchObject({ keyId: id, description: 'described' });
  });

  it('key disable, enable, rotate, schedule-deletion --days, cancel-deletion', async () => {
    const id = await createKey();
    expect(json(await t.run(['key', 'disable', id, '--json']))).toMatchObject({ keyState: 'Disabled' });
    expect(json(await t.run(['key', 'enable', id, '--json']))).toMatchObject({ keyState: 'Enabled' });
    expect(json(await t.run(['key', 'rotate', id, '--json']))).toMatchObject({ currentKeyVersion: 2 });
    const scheduled = json<{ keyState: string; pendingWindowInDays: number; deletionDate: string }>(
      await t.run(['key', 'schedule-deletion', id, '--days', '7', '--json']),
    );
    expect(scheduled).toMatchObject({ keyState: 'PendingDeletion', pendingWindowInDays: 7 });
    expect(new Date(scheduled.deletionDate).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect(json(await t.run(['key', 'cancel-deletion', id, '--json']))).toMatchObject({ keyState: 'Disabled' });
    const human = await t.run(['key', 'enable', id]);
    expect(human.stdout.toString()).toMatch(new RegExp(`^${id}\\s+Enabled\\s+version 2$`, 'm'));
  });

  it('key alias create, update, list and delete (alias/ prefix optional; an alias target is resolved)', async () => {
    const [a, b] = await Promise.all([createKey(), createKey()]);
    expect((await t.run(['key', 'alias', 'create', 'alias/moving', a])).code).toBe(0);
    const listed = json<{ aliases: { aliasName: string; targetKeyId: string }[] }>(
      await t.run(['key', 'alias', 'list', '--key', a, '--json']),
    );
    expect(listed.aliases).toEqual([expect.objectContaining({ aliasName: 'alias/moving', targetKeyId: a })]);
    expect((await t.run(['key', 'alias', 'update', 'moving', b])).code).toBe(0);
    expect((await describeKey('alias/moving')).keyId).toBe(b);
    expect((await t.run(['key', 'alias', 'create', 'second', 'alias/moving'])).code).toBe(0);
    expect((await describeKey('alias/second')).keyId).toBe(b);
    const table = await t.run(['key', 'alias', 'list']);
    expect(table.stdout.toString()).toMatch(new RegExp(`^alias/moving\\s+${b}`, 'm'));
    expect((await t.run(['key', 'alias', 'delete', 'alias/moving'])).code).toBe(0);
    await expect(describeKey('alias/moving')).rejects.toMatchObject({ code: expect.stringMatching(/NOT_FOUND/) });
  });

  it('key tag add k=v..., remove k..., list', async () => {
    const id = await createKey();
    expect((await t.run(['key', 'tag', 'add', id, 'env=prod', 'team=core', 'note=a=b'])).code).toBe(0);
    expect(json<{ tags: unknown[] }>(await t.run(['key', 'tag', 'list', id, '--json'])).tags).toEqual(
      expect.arrayContaining([
        { tagKey: 'env', tagValue: 'prod' },
        { tagKey: 'team', tagValue: 'core' },
        { tagKey: 'note', tagValue: 'a=b' },
      ]),
    );
    expect((await t.run(['key', 'tag', 'remove', id, 'team', 'note'])).code).toBe(0);
    const human = await t.run(['key', 'tag', 'list', id]);
    expect(human.stdout.toString()).toBe('KEY  VALUE\nenv  prod\n');
    const bad = await t.run(['key', 'tag', 'add', id, 'novalue']);
    expect(bad.code).toBe(2);
    expect(errorCode(bad)).toBe('USAGE');
  });

  it('an unknown key is KEY_NOT_FOUND in one line, exit 1', async () => {
    const r = await t.run(['key', 'describe', '00000000-0000-4000-8000-000000000000']);
    expect(r.code).toBe(1);
    expect(errorCode(r)).toBe('KEY_NOT_FOUND');
  });
});
