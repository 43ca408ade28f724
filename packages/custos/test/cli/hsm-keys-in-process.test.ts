// `custos key create --protection HSM|SOFTWARE` in-process (buildProgram().parseAsync) against a real server on a
// SoftHSM2 root of trust: the key is made in the token, `key describe` shows its protection level, and a bad choice
// or a spec the token cannot do is refused.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { buildProgram } from '../../src/cli/main.js';
import { describeSoftHsm, makeToken } from '../helpers/softhsm.js';

describeSoftHsm('custos key create --protection, in-process')('custos key create --protection, in-process', () => {
  let dir: string;
  let server: RunningServer;
  beforeAll(async () => {
    const token = makeToken('60917-cli-pin');
    dir = await mkdtemp(join(tmpdir(), 'custos-cli-hsm-'));
    server = await startServer({
      dataDir: join(dir, 'data'),
      listen: '127.0.0.1:0',
      logger: false,
      kmsOptions: { maintenanceIntervalMs: 0 },
      rootOfTrust: { kind: 'pkcs11', module: token.module, tokenLabel: token.label, pin: token.pin },
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function custos(...args: string[]): Promise<string> {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string | Uint8Array) => {
      out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    try {
      await buildProgram()
        .exitOverride()
        .parseAsync([...args, '--endpoint', server.url, '--token', server.adminToken!], { from: 'user' });
    } finally {
      process.stdout.write = write;
    }
    return out.join('');
  }

  it('creates HSM and SOFTWARE keys and describes their protection level', async () => {
    const hsm = JSON.parse(await custos('key', 'create', '--protection', 'HSM', '--json')) as {
      keyId: string;
      protectionLevel: string;
    };
    expect(hsm.protectionLevel).toBe('HSM');
    expect(await custos('key', 'describe', hsm.keyId)).toMatch(/ProtectionLevel\s+HSM/);
    const signing = JSON.parse(
      await custos('key', 'create', '--protection', 'HSM', '--spec', 'RSA_2048', '--usage', 'SIGN_VERIFY', '--json'),
    ) as { keySpec: string; protectionLevel: string };
    expect(signing).toMatchObject({ keySpec: 'RSA_2048', protectionLevel: 'HSM' });
    const software = JSON.parse(await custos('key', 'create', '--protection', 'SOFTWARE', '--json')) as {
      protectionLevel: string;
    };
    expect(software.protectionLevel).toBe('SOFTWARE');
  });

  it('refuses an unknown level (usage) and a spec the token cannot do (UNSUPPORTED)', async () => {
    await expect(custos('key', 'create', '--protection', 'TPM')).rejects.toThrow(/TPM/);
    await expect(
      custos('key', 'create', '--protection', 'HSM', '--spec', 'ECC_NIST_EDWARDS25519', '--usage', 'SIGN_VERIFY'),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});
