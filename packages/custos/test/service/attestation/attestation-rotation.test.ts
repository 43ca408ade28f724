// The attestation identity of a file root is derived from the root key: a root rotation carries it forward with the
// other derived keys, so the roots verifiers pinned stay the same after it (and after a restart).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOCAL_ADMIN, LocalKms } from '../../../src/service/local-kms.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'custos-attest-rotate-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const open = () => LocalKms.open({ dataDir, maintenanceIntervalMs: 0, logger: { error: () => undefined } });

it('keeps the attestation roots across a root rotation and a restart', async () => {
  let kms = await open();
  const before = (await kms.getAttestationRoots({})).certificates;
  const { keyId } = (await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata;
  expect((await kms.rotateRoot(LOCAL_ADMIN)).state).toBe('done');
  await kms.close();
  kms = await open();
  try {
    expect((await kms.getAttestationRoots({})).certificates).toEqual(before);
    const { certificateChain } = await kms.attestKey({ keyId, challenge: new Uint8Array(16).fill(7) });
    expect(certificateChain.at(-1)).toBe(before.at(-1));
  } finally {
    await kms.close();
  }
});
