// The post-quantum contract on RemoteKms against a real server (port 0, temporary data directory).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import { startServer } from '../../src/api/server.js';
import { describePqContract } from './pq-contract.js';

describePqContract('RemoteKms', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-pq-remote-'));
  const server = await startServer({
    dataDir,
    listen: '127.0.0.1:0',
    logger: false,
    kmsOptions: { maintenanceIntervalMs: 0 },
  });
  const token = server.adminToken ?? (await readFile(server.adminTokenFile, 'utf8')).trim();
  const kms = new RemoteKms({ endpoint: server.url, token, timeoutMs: 10_000 });
  return {
    kms,
    asRole: () => Promise.reject(new Error('not used')),
    async cleanup() {
      await kms.close();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
