// The grants contract on RemoteKms against a real server (port 0, temporary data directory): each principal has a
// bearer token of its own.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import type { Role } from '@custos/contract';
import { startServer } from '../../src/api/server.js';
import { describeGrantsContract } from './grants-contract.js';

describeGrantsContract('RemoteKms', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-grants-remote-'));
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
    async as(principal: string, roles: readonly Role[]) {
      const { token } = await kms.createToken({ roles: [...roles], principal, description: `grants ${principal}` });
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
