// `custos operator rotate-root` and `migrate-root`, in-process (buildProgram().parseAsync): rotate through a real
// server on port 0 (--json, --status, --no-wait, a key-user refused), and an offline migration file → pkcs11 → file
// of a stopped data directory (SoftHSM2), with the flags to start the server with printed.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { runCustos } from '../helpers/cli-in-process.js';
import { LocalKms } from '../../src/service/local-kms.js';
import { describeSoftHsm, makeToken, type TestToken } from '../helpers/softhsm.js';

/** Runs `custos <args>`; resolves to what it printed on stdout, rejects with its error. */
const custos = (...args: string[]): Promise<string> => runCustos(args);

describe('custos operator rotate-root, in-process', () => {
  let dir: string;
  let server: RunningServer;
  let admin: RemoteKms;
  let conn: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-rotate-'));
    server = await startServer({
      dataDir: join(dir, 'data'),
      listen: '127.0.0.1:0',
      logger: false,
      kmsOptions: { maintenanceIntervalMs: 0 },
    });
    admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
    conn = ['--endpoint', server.url, '--token', server.adminToken!];
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('rotates (--json), reports --status, and old ciphertexts still decrypt', async () => {
    const { keyId } = (await admin.createKey({})).keyMetadata;
    const { ciphertextBlob } = await admin.encrypt({ keyId, plaintext: new TextEncoder().encode('cli') });
    const done = JSON.parse(await custos('operator', 'rotate-root', '--json', ...conn)) as Record<string, unknown>;
    expect(done).toMatchObject({ state: 'done', running: false, error: null, operation: 'RotateRoot' });
    expect(done.newKeyCheckValue).toMatch(/^[0-9a-f]{32}$/);
    expect(await custos('operator', 'rotate-root', '--status', ...conn)).toMatch(/^done: \d+\/\d+ re-wrapped/);
    const status = JSON.parse(await custos('operator', 'rotate-root', '--status', '--json', ...conn)) as object;
    expect(status).toMatchObject({ state: 'done', newKeyCheckValue: done.newKeyCheckValue });
    expect(new TextDecoder().decode((await admin.decrypt({ ciphertextBlob })).plaintext)).toBe('cli');
  });

  it('prints a line when done, and --no-wait returns at once (the rotation finishes in the server)', async () => {
    expect(await custos('operator', 'rotate-root', ...conn)).toMatch(/^root key rotated \(new key check value /);
    expect(await custos('operator', 'rotate-root', '--no-wait', ...conn)).toMatch(/root rotation started/);
    for (let i = 0; i < 100; i++) {
      const p = JSON.parse(await custos('operator', 'rotate-root', '--status', '--json', ...conn)) as {
        running: boolean;
        state: string;
      };
      if (!p.running && p.state === 'done') return;
      await sleep(50);
    }
    throw new Error('the rotation did not finish');
  });

  it('refuses a caller without the admin role (ACCESS_DENIED)', async () => {
    const { token } = await admin.createToken({ roles: ['key-admin'] });
    await expect(custos('operator', 'rotate-root', '--endpoint', server.url, '--token', token)).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    });
  });
});

describeSoftHsm('custos operator migrate-root')('custos operator migrate-root, in-process', () => {
  let dir: string;
  let token: TestToken;
  beforeAll(async () => {
    token = makeToken('2231-cli-pin');
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-migrate-'));
    await writeFile(join(dir, 'pin'), token.pin, { mode: 0o600 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('moves a stopped data directory to pkcs11 and back, printing the flags to start with', async () => {
    const dataDir = join(dir, 'data');
    let kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0 });
    const { keyId } = (await kms.createKey({})).keyMetadata;
    const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext: new TextEncoder().encode('migrated') });
    await kms.close();

    const p11 = ['--pkcs11-module', token.module, '--pkcs11-token-label', token.label];
    await expect(custos('operator', 'migrate-root', '--data-dir', dataDir, '--to', 'pkcs11', ...p11)).rejects.toThrow(
      /--pkcs11-pin-file/,
    );
    const out = await custos(
      'operator',
      'migrate-root',
      '--data-dir',
      dataDir,
      '--to',
      'pkcs11',
      ...p11,
      '--pkcs11-pin-file',
      join(dir, 'pin'),
    );
    expect(out).toMatch(/^root migrated to pkcs11/m);
    expect(out).toContain(`start the server from now on with: --root-of-trust pkcs11 --pkcs11-module ${token.module}`);
    expect(out).not.toContain(token.pin);
    expect((await readdir(dataDir)).filter((f) => f.startsWith('root.key'))).toEqual([]);

    const back = JSON.parse(
      await custos(
        'operator',
        'migrate-root',
        '--json',
        '--data-dir',
        dataDir,
        '--to',
        'file',
        '--from-pkcs11-module',
        token.module,
        '--from-pkcs11-token-label',
        token.label,
        '--from-pkcs11-pin-file',
        join(dir, 'pin'),
      ),
    ) as Record<string, unknown>;
    expect(back).toMatchObject({ state: 'done', operation: 'MigrateRoot', error: null });
    kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0 });
    expect(new TextDecoder().decode((await kms.decrypt({ ciphertextBlob })).plaintext)).toBe('migrated');
    await kms.close();
  });
});
