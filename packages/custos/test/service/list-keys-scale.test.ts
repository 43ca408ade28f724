// ListKeys at 100,000 keys: every filter and sort the console uses is served by an index. Asserted on SQLite's plan
// (EXPLAIN QUERY PLAN: no full scan of keys, no temporary B-tree for ORDER BY), never on timing. The keys go in
// through the store layer as bench/fill.ts puts them (row MACs, one statement per 500 rows), without key material.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySpec, KeyState, KeyUsage } from '@custos/contract';
import { loadIntegrityKeys } from '../../src/service/integrity/keys.js';
import { newKeyRecord } from '../../src/service/key-loading.js';
import { LocalKms } from '../../src/service/local-kms.js';
import { openRootRing } from '../../src/service/root/open-ring.js';
import { loadDerivedKeys } from '../../src/service/root/rotation-state.js';
import { storeOptions } from '../../src/service/store-options.js';
import { openStore, type Store } from '../../src/store/index.js';
import * as repo from '../../src/store/repositories/index.js';
import type { KeyListing } from '../../src/store/repositories/key-listing.js';
import type { KeyRecord } from '../../src/store/types.js';

const COUNT = 100_000;
const BATCH = 5_000;
const SPECS: [KeySpec, KeyUsage][] = [
  ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'],
  ['ECC_NIST_P256', 'SIGN_VERIFY'],
  ['RSA_2048', 'ENCRYPT_DECRYPT'],
  ['HMAC_256', 'GENERATE_VERIFY_MAC'],
];
const STATES: KeyState[] = ['Enabled', 'Enabled', 'Enabled', 'Disabled', 'PendingDeletion'];

let dir: string;
let store: Store;
const ids: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-list-scale-'));
  await (await LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0 })).close();
  store = await openStore(storeOptions({ dataDir: dir }), { dataDir: dir, migrate: false, lock: true });
  const { ring } = await openRootRing({ dataDir: dir }, store);
  await loadDerivedKeys(store.db, ring);
  await loadIntegrityKeys(ring, store);
  await ring.close();
  const began = Date.now();
  const start = began - COUNT;
  for (let done = 0; done < COUNT; done += BATCH) {
    const records: KeyRecord[] = [];
    for (let i = done; i < done + BATCH; i++) {
      const [spec, usage] = SPECS[i % SPECS.length]!;
      const state = STATES[i % STATES.length]!;
      records.push(
        newKeyRecord(new Date(start + i), {
          id: randomUUID(),
          spec,
          usage,
          state,
          origin: 'AWS_KMS',
          latestVersion: 0,
        }),
      );
    }
    await store.transaction(async (tx) => {
      await repo.keys.insertMany(tx, records);
      // One key in 100 is tagged team=pay, one in 1000 has an alias.
      for (const [n, record] of records.entries()) {
        if ((done + n) % 100 === 0) await repo.tags.put(tx, record.id, [{ tagKey: 'team', tagValue: 'pay' }]);
        if ((done + n) % 1000 === 0)
          await repo.aliases.insert(tx, {
            name: `alias/app-${done + n}`,
            keyId: record.id,
            createdAt: record.createdAt,
            updatedAt: record.createdAt,
          });
      }
    });
    ids.push(...records.map((r) => r.id));
  }
  if (process.env.SHOW_PLANS) console.log(`filled ${COUNT} keys in ${Date.now() - began} ms`);
}, 180_000);

afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const listing = (more: Partial<KeyListing>): KeyListing => ({
  limit: 50,
  sortBy: 'created',
  descending: false,
  ...more,
});

/** SQLite's plan of each query the listing runs, as `detail` lines. */
async function plans(l: KeyListing): Promise<string[][]> {
  const out: string[][] = [];
  for (const query of repo.keyListing.listingQueries(store.db, l)) {
    const { sql, parameters } = query.compile();
    const result = await store.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${sql}`, [...parameters]),
    );
    out.push(result.rows.map((r) => r.detail));
  }
  return out;
}

const CASES: [string, Partial<KeyListing>][] = [
  ['no filter, newest first', { descending: true }],
  ['one state', { states: ['Disabled'] }],
  ['two states, newest first', { states: ['Enabled', 'Disabled'], descending: true }],
  ['state and two specs', { states: ['Enabled'], specs: ['ECC_NIST_P256', 'RSA_2048'] }],
  ['usage, by key id', { usages: ['SIGN_VERIFY'], sortBy: 'keyId' }],
  ['spec, by key id descending', { specs: ['HMAC_256'], sortBy: 'keyId', descending: true }],
  ['tag with value, and a state', { tagKey: 'team', tagValue: 'pay', states: ['Enabled'] }],
  ['alias prefix or key id', { aliasPrefix: 'alias/app-1', keyId: 'app-1' }],
  ['tag, by key id', { tagKey: 'team', sortBy: 'keyId' }],
];

describe(`ListKeys over ${COUNT} keys (SQLite)`, () => {
  it.each(CASES)('%s: served by an index in order (no full scan, no sort step)', async (_name, more) => {
    for (const plan of await plans(listing(more))) {
      if (process.env.SHOW_PLANS) console.log(_name, plan);
      const text = plan.join('\n');
      expect(text, text).not.toMatch(/^SCAN keys$/m);
      expect(text, text).not.toMatch(/TEMP B-TREE/);
      expect(text, text).toMatch(/keys USING (COVERING )?INDEX|keys USING INTEGER PRIMARY KEY|keys USING PRIMARY KEY/);
    }
  });

  // Figures, not assertions (STYLE: performance is measured, never asserted): SHOW_PLANS=1 prints them.
  it.runIf(process.env.SHOW_PLANS)(
    'prints the median time of a page per case, beside the unfiltered keys.list',
    async () => {
      const median = async (run: () => Promise<unknown>) => {
        const times: number[] = [];
        for (let i = 0; i < 15; i++) {
          const at = process.hrtime.bigint();
          await run();
          times.push(Number(process.hrtime.bigint() - at) / 1e6);
        }
        return times.sort((a, b) => a - b)[7]?.toFixed(2);
      };
      console.log('baseline keys.list, 50 rows', await median(() => repo.keys.list(store.db, { limit: 50 })));
      for (const [name, more] of CASES)
        console.log(name, await median(() => repo.keyListing.listKeys(store.db, listing(more))));
    },
  );

  it('pages through a filtered, sorted listing with the same results as the whole sorted set', async () => {
    const l = listing({
      states: ['Disabled', 'PendingDeletion'],
      specs: ['ECC_NIST_P256'],
      descending: true,
      limit: 400,
    });
    const first = await repo.keyListing.listKeys(store.db, l);
    const second = await repo.keyListing.listKeys(store.db, { ...l, after: first.next ?? undefined });
    const got = [...first.items, ...second.items];
    expect(got).toHaveLength(800);
    for (const key of got) {
      expect(['Disabled', 'PendingDeletion']).toContain(key.state);
      expect(key.spec).toBe('ECC_NIST_P256');
    }
    const times = got.map((k) => k.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // i % 4 === 1 (P-256) and i % 5 in {3, 4}: the newest such index below COUNT.
    let newest = COUNT - 1;
    while (!(newest % 4 === 1 && newest % 5 >= 3)) newest--;
    expect(got[0]?.id).toBe(ids[newest]);
  });
});
