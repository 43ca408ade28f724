// ListKeys' Custos filters, sorts, keyset paging and includeMetadata, on SQLite and on PostgreSQL; and that the AWS
// protocol's ListKeys refuses them. The plan test at scale is list-keys-scale.test.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type KeySpec, type KeyUsage, type ListKeysRequest } from '@custos/contract';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { fromAws } from '../../src/api/aws/shapes.js';
import { LocalKms } from '../../src/service/local-kms.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';
import { TestClock } from './helpers.js';

/** One key as the test made it, to compute what each listing should return. */
interface Made {
  id: string;
  spec: KeySpec;
  usage: KeyUsage;
  state: string;
  created: number;
  team: string;
  alias: string | null;
}

const PLAN: [KeySpec, KeyUsage][] = [
  ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'],
  ['ECC_NIST_P256', 'SIGN_VERIFY'],
  ['HMAC_256', 'GENERATE_VERIFY_MAC'],
];

async function seed(kms: LocalKms, clock: TestClock, count: number, made: Made[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const n = made.length;
    const [spec, usage] = PLAN[n % PLAN.length]!;
    const team = n % 4 === 0 ? 'pay' : 'ops';
    const { keyMetadata } = await kms.createKey({
      keySpec: spec,
      keyUsage: usage,
      tags: [{ tagKey: 'team', tagValue: team }],
    });
    const id = keyMetadata.keyId;
    const alias = n % 3 === 0 ? `alias/svc-${String(n).padStart(3, '0')}` : null;
    if (alias) await kms.createAlias({ aliasName: alias, targetKeyId: id });
    let state = 'Enabled';
    if (n % 5 === 1) {
      await kms.disableKey({ keyId: id });
      state = 'Disabled';
    } else if (n % 7 === 2) {
      await kms.scheduleKeyDeletion({ keyId: id, pendingWindowInDays: 7 });
      state = 'PendingDeletion';
    }
    made.push({ id, spec, usage, state, created: keyMetadata.creationDate.getTime(), team, alias });
    if (n % 2 === 0) clock.advanceMs(1); // every other key shares its creation time with the next: ties break by id
  }
}

/** Every page of a listing, in order. */
async function all(kms: LocalKms, request: ListKeysRequest): Promise<string[]> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.listKeys({ ...request, ...(marker ? { marker } : {}) });
    ids.push(...page.keys.map((k) => k.keyId));
    marker = page.nextMarker;
    expect(page.truncated).toBe(marker !== undefined);
  } while (marker);
  return ids;
}

const byCreated = (a: Made, b: Made) => a.created - b.created || (a.id < b.id ? -1 : 1);
const byId = (a: Made, b: Made) => (a.id < b.id ? -1 : 1);
const ids = (keys: Made[]) => keys.map((k) => k.id);

interface Harness {
  kms: LocalKms;
  clock: TestClock;
  close(): Promise<void>;
}

function suite(open: () => Promise<Harness>): void {
  let kms: LocalKms;
  let clock: TestClock;
  let harness: Harness;
  const made: Made[] = [];

  beforeAll(async () => {
    harness = await open();
    ({ kms, clock } = harness);
    await seed(kms, clock, 24, made);
  }, 60_000);
  afterAll(() => harness.close());

  it('filters by state, spec and usage (one value or several), in creation order', async () => {
    expect(await all(kms, { limit: 4, keyStates: ['Disabled'] })).toEqual(
      ids(made.filter((k) => k.state === 'Disabled').sort(byCreated)),
    );
    expect(await all(kms, { limit: 4, keyStates: ['Disabled', 'PendingDeletion'] })).toEqual(
      ids(made.filter((k) => k.state !== 'Enabled').sort(byCreated)),
    );
    expect(await all(kms, { limit: 3, keySpecs: ['ECC_NIST_P256', 'HMAC_256'] })).toEqual(
      ids(made.filter((k) => k.spec !== 'SYMMETRIC_DEFAULT').sort(byCreated)),
    );
    expect(await all(kms, { limit: 5, keyUsages: ['SIGN_VERIFY'] })).toEqual(
      ids(made.filter((k) => k.usage === 'SIGN_VERIFY').sort(byCreated)),
    );
  });

  it('filters by tag key and value, and combines filters', async () => {
    expect(await all(kms, { limit: 2, withTagKey: 'team', withTagValue: 'pay' })).toEqual(
      ids(made.filter((k) => k.team === 'pay').sort(byCreated)),
    );
    expect(await all(kms, { withTagKey: 'team' })).toHaveLength(made.length);
    expect(await all(kms, { withTagKey: 'nobody' })).toEqual([]);
    const combo = made.filter((k) => k.team === 'ops' && k.state === 'Enabled' && k.spec !== 'HMAC_256');
    expect(combo.length).toBeGreaterThan(2);
    expect(
      await all(kms, {
        limit: 2,
        withTagKey: 'team',
        withTagValue: 'ops',
        keyStates: ['Enabled'],
        keySpecs: ['SYMMETRIC_DEFAULT', 'ECC_NIST_P256'],
        sortOrder: 'desc',
      }),
    ).toEqual(ids(combo.sort(byCreated).reverse()));
  });

  it('searches by alias prefix (with or without alias/) or by exact key id', async () => {
    const svc01 = made.filter((k) => k.alias?.startsWith('alias/svc-01'));
    expect(svc01.length).toBeGreaterThan(1);
    expect(await all(kms, { search: 'svc-01' })).toEqual(ids(svc01.sort(byCreated)));
    expect(await all(kms, { search: 'alias/svc-01' })).toEqual(ids(svc01.sort(byCreated)));
    const target = made[5]!;
    expect(await all(kms, { search: target.id })).toEqual([target.id]);
    expect(await all(kms, { search: 'no-such' })).toEqual([]);
  });

  it('sorts by creation or key id, both ways', async () => {
    expect(await all(kms, { limit: 7 })).toEqual(ids([...made].sort(byCreated)));
    expect(await all(kms, { limit: 7, sortOrder: 'desc' })).toEqual(ids([...made].sort(byCreated).reverse()));
    expect(await all(kms, { limit: 7, sortBy: 'keyId' })).toEqual(ids([...made].sort(byId)));
    expect(
      await all(kms, { limit: 7, sortBy: 'keyId', sortOrder: 'desc', keyStates: ['Enabled', 'Disabled'] }),
    ).toEqual(
      ids(
        made
          .filter((k) => k.state !== 'PendingDeletion')
          .sort(byId)
          .reverse(),
      ),
    );
  });

  it('pages stably while keys are created between pages', async () => {
    clock.advanceMs(1);
    const before = [...made].sort(byCreated);
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await kms.listKeys({ limit: 5, ...(marker ? { marker } : {}) });
      seen.push(...page.keys.map((k) => k.keyId));
      marker = page.nextMarker;
      clock.advanceMs(1);
      await seed(kms, clock, 1, made); // created after every listed key: appears at the end, once
    } while (marker);
    expect(seen.slice(0, before.length)).toEqual(ids(before));
    expect(new Set(seen).size).toBe(seen.length);
    // Newest first: keys created meanwhile sort before the cursor, so the pages go on without them.
    const newestFirst = [...made].sort(byCreated).reverse();
    const first = await kms.listKeys({ limit: 4, sortOrder: 'desc' });
    clock.advanceMs(1);
    await seed(kms, clock, 2, made);
    const rest = await all(kms, { limit: 4, sortOrder: 'desc', marker: first.nextMarker ?? '' });
    expect([...first.keys.map((k) => k.keyId), ...rest]).toEqual(ids(newestFirst));
  }, 60_000);

  it('returns metadata, alias names and the last rotation with includeMetadata', async () => {
    const aliased = made.find((k) => k.alias !== null && k.spec === 'SYMMETRIC_DEFAULT' && k.state === 'Enabled');
    if (!aliased) throw new Error('seed has no enabled aliased symmetric key');
    await kms.rotateKeyOnDemand({ keyId: aliased.id });
    const page = await kms.listKeys({ search: aliased.id, includeMetadata: true });
    const entry = page.keys[0];
    expect(entry?.metadata?.keyId).toBe(aliased.id);
    expect(entry?.metadata?.keySpec).toBe('SYMMETRIC_DEFAULT');
    expect(entry?.metadata?.keyState).toBe('Enabled');
    expect(entry?.aliasNames).toEqual([aliased.alias]);
    expect(entry?.lastRotationDate).toBeInstanceOf(Date);
    const plain = (await kms.listKeys({ limit: 50, includeMetadata: true })).keys;
    const never = plain.find((k) => k.keyId !== aliased.id);
    expect(never?.lastRotationDate).toBeUndefined();
    expect(never?.metadata?.keyState).toBeDefined();
    expect((await kms.listKeys({ limit: 1 })).keys[0]?.metadata).toBeUndefined();
  });

  it('refuses invalid filters (VALIDATION_ERROR) and a marker of another listing (INVALID_MARKER)', async () => {
    const bad = (request: unknown) => kms.listKeys(request as ListKeysRequest);
    await expectKmsError(bad({ keyStates: ['Sleeping'] }), 'VALIDATION_ERROR');
    await expectKmsError(bad({ keySpecs: [] }), 'VALIDATION_ERROR');
    await expectKmsError(bad({ sortBy: 'alias' }), 'VALIDATION_ERROR');
    await expectKmsError(bad({ sortOrder: 'up' }), 'VALIDATION_ERROR');
    await expectKmsError(bad({ search: 'a b' }), 'VALIDATION_ERROR');
    await expectKmsError(bad({ withTagValue: 'pay' }), 'VALIDATION_ERROR');
    const { nextMarker } = await kms.listKeys({ limit: 2, keyStates: ['Enabled'] });
    if (!nextMarker) throw new Error('expected a second page');
    await expectKmsError(kms.listKeys({ marker: nextMarker }), 'INVALID_MARKER');
    await expectKmsError(kms.listKeys({ marker: nextMarker, keyStates: ['Disabled'] }), 'INVALID_MARKER');
    await expectKmsError(
      kms.listKeys({ marker: nextMarker, keyStates: ['Enabled'], sortBy: 'keyId' }),
      'INVALID_MARKER',
    );
    await expectKmsError(kms.listKeys({ marker: 'bm90IGEgbWFya2Vy' }), 'INVALID_MARKER');
    // The page size may change between pages.
    expect((await kms.listKeys({ marker: nextMarker, keyStates: ['Enabled'], limit: 1 })).keys).toHaveLength(1);
  });
}

describe('ListKeys filters, sorts and paging (SQLite)', () => {
  suite(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-list-keys-'));
    const clock = new TestClock();
    const kms = await LocalKms.open({
      dataDir: dir,
      now: clock.now,
      maintenanceIntervalMs: 0,
      config: { minPendingWindowDays: 1 },
    });
    return {
      kms,
      clock,
      async close() {
        await kms.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
});

describePostgres('ListKeys filters (PostgreSQL)')('ListKeys filters, sorts and paging (PostgreSQL)', () => {
  suite(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-list-keys-pg-'));
    const schema = testSchemaName();
    const clock = new TestClock();
    const kms = await LocalKms.open({
      dataDir: dir,
      store: { kind: 'postgres', url: PG_URL, schema },
      now: clock.now,
      maintenanceIntervalMs: 0,
      config: { minPendingWindowDays: 1 },
    });
    return {
      kms,
      clock,
      async close() {
        await kms.close();
        await dropSchema(schema);
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
});

describe('TrentService.ListKeys keeps AWS shape', () => {
  it.each(['KeyStates', 'KeySpecs', 'KeyUsages', 'WithTagKey', 'Search', 'SortBy', 'SortOrder', 'IncludeMetadata'])(
    'refuses %s with VALIDATION_ERROR',
    (field) => {
      let code: string | undefined;
      try {
        fromAws(OPERATIONS.listKeys.request, { Limit: 10, [field]: ['x'] });
      } catch (err) {
        code = (err as { code?: string }).code;
      }
      expect(code).toBe('VALIDATION_ERROR');
    },
  );

  it('still reads Limit and Marker', () => {
    expect(fromAws(OPERATIONS.listKeys.request, { Limit: 10, Marker: 'm' })).toEqual({ limit: 10, marker: 'm' });
  });
});
