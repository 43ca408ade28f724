// The grants contract on LocalKms (a temporary data directory), callers passed in-process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATIONS, type Caller, type Kms, type Role } from '@custos/contract';
import { LocalKms } from '../../src/service/local-kms.js';
import { describeGrantsContract } from './grants-contract.js';

/** `kms` acting as `caller` whenever a call names no caller of its own. */
function actingAs(kms: Kms, caller: Caller): Kms {
  const methods = Object.fromEntries(
    Object.keys(OPERATIONS).map((operation) => [
      operation,
      (input: unknown, own?: Caller) =>
        (kms as unknown as Record<string, (i: unknown, c: Caller) => Promise<unknown>>)[operation]!(
          input,
          own ?? caller,
        ),
    ]),
  );
  return { ...methods, close: () => Promise.resolve() } as unknown as Kms;
}

describeGrantsContract('LocalKms', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-grants-local-'));
  const kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0, logger: { error: () => undefined } });
  return {
    kms,
    as: (principal: string, roles: readonly Role[]) => Promise.resolve(actingAs(kms, { principal, roles })),
    async cleanup() {
      await kms.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
