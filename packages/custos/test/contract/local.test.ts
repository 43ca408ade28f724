// The Kms contract on LocalKms: a temporary data directory; asRole wraps the same instance so that every call
// carries a caller holding that one role.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATIONS, jwkFacade, type Caller, type Kms, type KmsOperations, type Role } from '@custos/contract';
import { LocalKms } from '../../src/service/local-kms.js';
import { describeJwkContract } from './jwk-contract.js';
import { describeKmsContract } from './kms-contract.js';

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
  const operations = methods as unknown as KmsOperations;
  return { ...operations, jwk: jwkFacade(operations), close: () => Promise.resolve() };
}

async function makeLocal() {
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-contract-'));
  const kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0, logger: { error: () => undefined } });
  return {
    kms,
    asRole: (role: Role) => Promise.resolve(actingAs(kms, { principal: `contract:${role}`, roles: [role] })),
    async cleanup() {
      await kms.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describeKmsContract('LocalKms', makeLocal);
describeJwkContract('LocalKms', makeLocal);
