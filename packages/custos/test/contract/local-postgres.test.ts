// The Kms contract on LocalKms backed by PostgreSQL (store: { kind: 'postgres' }): its own schema, dropped after, and a temporary
// directory for the root key; asRole wraps the same instance. Skipped loudly when no server is reachable.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATIONS, type Caller, type Kms, type Role } from '@custos/contract';
import { LocalKms } from '../../src/service/local-kms.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';
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
  return { ...methods, close: () => Promise.resolve() } as unknown as Kms;
}

describePostgres('the Kms contract on LocalKms with PostgreSQL')('LocalKms on PostgreSQL', () => {
  describeKmsContract('LocalKms (PostgreSQL)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'custos-contract-pg-'));
    const schema = testSchemaName();
    const kms = await LocalKms.open({
      dataDir,
      store: { kind: 'postgres', url: PG_URL, schema },
      maintenanceIntervalMs: 0,
      logger: { error: () => undefined },
    });
    return {
      kms,
      asRole: (role: Role) => Promise.resolve(actingAs(kms, { principal: `contract:${role}`, roles: [role] })),
      async cleanup() {
        await kms.close();
        await dropSchema(schema);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  });
});
