// A grant takes effect at once on every node: two LocalKms nodes on one PostgreSQL schema, with key caches that
// would keep a key's grants for a minute, so only the change notice (or a grant token) explains a node seeing a
// grant another node created, retired or revoked. Skipped loudly when no server is reachable.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Caller } from '@custos/contract';
import { afterEach, it } from 'vitest';
import { LocalKms } from '../../../src/index.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../../store/pg.js';
import { eventually, utf8 } from '../helpers.js';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';

const describePg = describePostgres('grants across nodes (PostgreSQL)');

/** A principal with no role: whatever it does with a key, a grant gave it. */
const BILLING: Caller = { principal: 'billing', roles: [] };
const RETIRER: Caller = { principal: 'retirer', roles: [] };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function twoNodes(): Promise<[LocalKms, LocalKms]> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-grants-multinode-'));
  const schema = testSchemaName();
  const nodes: LocalKms[] = [];
  cleanups.push(async () => {
    for (const node of nodes) await node.close();
    await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 2; i++)
    nodes.push(
      await LocalKms.open({
        dataDir: dir,
        store: { kind: 'postgres', url: PG_URL, schema, poolSize: 4 },
        maintenanceIntervalMs: 0,
        config: { keyCacheTtlMs: 60_000 },
        logger: { error: () => undefined },
      }),
    );
  return [nodes[0]!, nodes[1]!];
}

describePg('grants on two nodes of one PostgreSQL', () => {
  it('a grant made on node A is usable on node B at once with its token, and without it once B is told', async () => {
    const [a, b] = await twoNodes();
    const keyId = (await a.createKey({})).keyMetadata.keyId;
    const encrypt = (grantTokens?: string[]) =>
      b.encrypt({ keyId, plaintext: utf8('x'), ...(grantTokens ? { grantTokens } : {}) }, BILLING);
    // B reads and caches the key's grants: none yet.
    await expectKmsError(encrypt(), 'ACCESS_DENIED');
    const { grantToken } = await a.createGrant({ keyId, granteePrincipal: 'billing', operations: ['Encrypt'] });
    // The token names a grant B's cache lacks: B reads the store, whatever its cache says.
    await encrypt([grantToken]);
    await eventually(async () => {
      await encrypt();
    });
  });

  it('a grant retired on node B stops working on node A, though A had it cached', async () => {
    const [a, b] = await twoNodes();
    const keyId = (await a.createKey({})).keyMetadata.keyId;
    const { grantToken, grantId } = await a.createGrant({
      keyId,
      granteePrincipal: 'billing',
      retiringPrincipal: 'retirer',
      operations: ['Encrypt'],
    });
    await a.encrypt({ keyId, plaintext: utf8('warm the cache') }, BILLING);
    await a.encrypt({ keyId, plaintext: utf8('from the cache') }, BILLING);
    await b.retireGrant({ grantToken }, RETIRER);
    await eventually(async () => {
      await expectKmsError(a.encrypt({ keyId, plaintext: utf8('x') }, BILLING), 'ACCESS_DENIED');
    });
    // And a revocation likewise.
    const second = await b.createGrant({ keyId, granteePrincipal: 'billing', operations: ['Encrypt'] });
    await eventually(async () => {
      await a.encrypt({ keyId, plaintext: utf8('x') }, BILLING);
    });
    await b.revokeGrant({ keyId, grantId: second.grantId });
    await eventually(async () => {
      await expectKmsError(a.encrypt({ keyId, plaintext: utf8('x') }, BILLING), 'ACCESS_DENIED');
    });
    await expectKmsError(b.revokeGrant({ keyId, grantId }), 'NOT_FOUND');
  });
});
