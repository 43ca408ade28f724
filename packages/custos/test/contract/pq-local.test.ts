// The post-quantum contract on LocalKms over a temporary data directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKms } from '../../src/service/local-kms.js';
import { describePqContract } from './pq-contract.js';

describePqContract('LocalKms', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-pq-'));
  const kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0, logger: { error: () => undefined } });
  return {
    kms,
    asRole: () => Promise.reject(new Error('not used')),
    async cleanup() {
      await kms.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
