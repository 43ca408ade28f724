// The certificate and trust store contract on RemoteKms against a real server (port 0, temporary data directory).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import type { Role } from '@custos/contract';
import { startServer } from '../../src/api/server.js';
import { describeCertificatesContract } from './certificates-contract.js';

describeCertificatesContract('RemoteKms', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-certs-remote-'));
  const server = await startServer({
    dataDir,
    listen: '127.0.0.1:0',
    logger: false,
    kmsOptions: { maintenanceIntervalMs: 0 },
  });
  const adminToken = server.adminToken ?? (await readFile(server.adminTokenFile, 'utf8')).trim();
  const kms = new RemoteKms({ endpoint: server.url, token: adminToken, timeoutMs: 20_000 });
  const opened: RemoteKms[] = [kms];
  return {
    kms,
    async asRole(role: Role) {
      const { token } = await kms.createToken({ roles: [role], description: `certificates ${role}` });
      const remote = new RemoteKms({ endpoint: server.url, token, timeoutMs: 20_000 });
      opened.push(remote);
      return remote;
    },
    async cleanup() {
      await Promise.all(opened.map((k) => k.close()));
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
