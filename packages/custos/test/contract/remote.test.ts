// The Kms contract on RemoteKms against a real server: startServer on port 0 with a temporary data directory;
// asRole is a RemoteKms holding a token with that one role, created through the Kms interface. Then what only
// the remote implementation has: request ids on errors, token authentication, an unreachable server.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { AuthenticationError, NotFoundError, UnavailableError, type Role } from '@custos/contract';
import { startServer } from '../../src/api/server.js';
import { describeJwkContract } from './jwk-contract.js';
import { describeKmsContract, type KmsUnderTest } from './kms-contract.js';
import { kmsRejection } from '../../../contract/test/helpers/expect-kms-error.js';

/** A server on a free port over a fresh data directory, an admin RemoteKms, and RemoteKms instances per role. */
async function startRemote(): Promise<KmsUnderTest & { url: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-contract-remote-'));
  const server = await startServer({
    dataDir,
    listen: '127.0.0.1:0',
    logger: false,
    kmsOptions: { maintenanceIntervalMs: 0 },
  });
  const adminToken = server.adminToken ?? (await readFile(server.adminTokenFile, 'utf8')).trim();
  const kms = new RemoteKms({ endpoint: server.url, token: adminToken, timeoutMs: 10_000 });
  const opened: RemoteKms[] = [kms];
  return {
    url: server.url,
    kms,
    async asRole(role: Role) {
      const { token } = await kms.createToken({ roles: [role], description: `contract ${role}` });
      const remote = new RemoteKms({ endpoint: server.url, token, timeoutMs: 10_000 });
      opened.push(remote);
      return remote;
    },
    async cleanup() {
      await Promise.all(opened.map((k) => k.close()));
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describeKmsContract('RemoteKms', startRemote);
describeJwkContract('RemoteKms', startRemote);

describe('RemoteKms against a real server', () => {
  let remote: Awaited<ReturnType<typeof startRemote>>;
  beforeAll(async () => {
    remote = await startRemote();
  });
  afterAll(async () => remote?.cleanup());

  it('an error carries the request id the caller gave, else the one the server used', async () => {
    const given = await kmsRejection(
      remote.kms.describeKey({ keyId: 'alias/none' }, { principal: 'ignored', roles: [], requestId: 'contract-req-1' }),
    );
    expect(given).toBeInstanceOf(NotFoundError);
    expect(given.requestId).toBe('contract-req-1');
    const generated = await kmsRejection(remote.kms.describeKey({ keyId: 'alias/none' }));
    expect(generated.requestId).toMatch(/\S/);
  });

  it("the caller's principal and roles are ignored: the token decides who calls", async () => {
    const user = await remote.asRole('key-user');
    const denied = await kmsRejection(
      user.createKey({}, { principal: 'local:admin', roles: ['admin'], requestId: 'contract-req-2' }),
    );
    expect(denied.code).toBe('ACCESS_DENIED');
    const { records } = await remote.kms.listAuditRecords({ limit: 1000 });
    const record = records.find((r) => r.requestId === 'contract-req-2');
    expect(record?.outcome).toBe('denied');
    expect(record?.principal).not.toBe('local:admin');
  });

  it('an unknown or revoked token fails with UNAUTHENTICATED (AuthenticationError)', async () => {
    const stranger = new RemoteKms({ endpoint: remote.url, token: 'cst_not-a-real-token' });
    const error = await kmsRejection(stranger.listKeys());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe('UNAUTHENTICATED');

    const { tokenId, token } = await remote.kms.createToken({ roles: ['key-user'] });
    const revoked = new RemoteKms({ endpoint: remote.url, token });
    await revoked.listKeys();
    await remote.kms.revokeToken({ tokenId });
    expect((await kmsRejection(revoked.listKeys())).code).toBe('UNAUTHENTICATED');
  });

  it('a server that does not answer gives UNAVAILABLE (UnavailableError) after the retries of a safe operation', async () => {
    const gone = await startRemote();
    const url = gone.url;
    await gone.cleanup();
    const kms = new RemoteKms({ endpoint: url, token: 'cst_x', retries: 1, retryBaseDelayMs: 10 });
    const error = await kmsRejection(kms.listKeys());
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('2 tries');
    const unsafe = await kmsRejection(kms.createKey({}));
    expect(unsafe.message).toContain('may or may not');
  });
});
