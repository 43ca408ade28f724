// GET /v1/sys/seal-status on a server whose root of trust is a PKCS#11 token (SoftHSM2): unsealed from the start, and
// it names its root; sealing is refused (UNSUPPORTED), as nothing could unseal it again. Skipped loudly without
// softhsm2 (an error under CUSTOS_REQUIRE_SOFTHSM=1).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startServer } from '../../src/api/server.js';
import { describeSoftHsm, makeToken } from '../helpers/softhsm.js';

describeSoftHsm('seal-status on a PKCS#11 root')('seal-status on a PKCS#11 root of trust', () => {
  it('reports unsealed with rootOfTrust pkcs11, and refuses to seal', async () => {
    const token = makeToken('4711-seal-status');
    const dataDir = await mkdtemp(join(tmpdir(), 'custos-seal-p11-'));
    const server = await startServer({
      dataDir,
      listen: '127.0.0.1:0',
      logger: false,
      rootOfTrust: { kind: 'pkcs11', module: token.module, tokenLabel: token.label, pin: token.pin },
      kmsOptions: { maintenanceIntervalMs: 0 },
    });
    try {
      expect(await (await fetch(`${server.url}/v1/sys/seal-status`)).json()).toEqual({
        sealed: false,
        rootOfTrust: 'pkcs11',
      });
      const seal = await fetch(`${server.url}/v1/sys/seal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken!}` },
        body: '{}',
      });
      expect([seal.status, ((await seal.json()) as { error: { code: string } }).error.code]).toEqual([
        400,
        'UNSUPPORTED',
      ]);
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
