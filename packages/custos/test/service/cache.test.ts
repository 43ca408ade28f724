// The key cache and the per-version encryption counters: fast paths that must never change an answer.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SecretBytes, exposeSecret } from '../../src/core/secret-bytes.js';
import { KeyCache } from '../../src/service/cache.js';
import { EncryptionCounters } from '../../src/service/counters.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import * as repo from '../../src/store/repositories/index.js';
import type { KeyRecord } from '../../src/store/types.js';
import { keyRecord } from '../helpers/key-records.js';
import { openTestKms, utf8, type TestKms } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { withRowKey } from '../helpers/row-key.js';

const record = (id: string): KeyRecord => ({ id }) as KeyRecord;

describe('KeyCache', () => {
  it('refuses a fill whose read started before an invalidation (the epoch moved)', () => {
    const cache = new KeyCache({ ttlMs: 60_000, maxEntries: 10 });
    const epoch = cache.epoch;
    cache.invalidateKey('a');
    cache.putKey(epoch, record('a'));
    expect(cache.key('a')).toBeUndefined();
    cache.putKey(cache.epoch, record('a'));
    expect(cache.key('a')).toBeDefined();
  });

  it('drops a key, its versions, its material and every alias on invalidation, and wipes the material', () => {
    const cache = new KeyCache({ ttlMs: 60_000, maxEntries: 10 });
    const material = SecretBytes.from(new Uint8Array([1, 2, 3]));
    cache.putKey(cache.epoch, record('a'));
    cache.putAlias(cache.epoch, 'alias/x', 'a');
    cache.putMaterial(cache.epoch, 'a', 1, material);
    const copy = cache.material('a', 1)!;
    expect([...exposeSecret(copy)]).toEqual([1, 2, 3]);
    const wipe = vi.spyOn(SecretBytes.prototype, 'wipe');
    cache.invalidateKey('a');
    expect(wipe).toHaveBeenCalledTimes(1); // the cache's own copy
    wipe.mockRestore();
    expect(cache.key('a')).toBeUndefined();
    expect(cache.alias('alias/x')).toBeUndefined();
    expect(cache.material('a', 1)).toBeUndefined();
    expect([...exposeSecret(copy)]).toEqual([1, 2, 3]); // the caller's copy is its own
  });

  it('is bounded: the oldest entry goes first', () => {
    const cache = new KeyCache({ ttlMs: 60_000, maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) cache.putKey(cache.epoch, record(id));
    expect(cache.key('a')).toBeUndefined();
    expect(cache.key('c')).toBeDefined();
  });

  it('serves nothing when the TTL is 0', () => {
    const cache = new KeyCache({ ttlMs: 0, maxEntries: 10 });
    cache.putKey(cache.epoch, record('a'));
    expect(cache.key('a')).toBeUndefined();
  });
});

describe('EncryptionCounters', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-counters-'));
    store = withRowKey(await openSqliteStore(join(dir, 'custos.db')));
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('hands out unique, increasing numbers under concurrency, and the stored count never falls behind them', async () => {
    const now = new Date();
    const keyId = randomUUID();
    await repo.keys.insert(store.db, keyRecord({ id: keyId, createdAt: now, updatedAt: now }));
    await repo.keyVersions.insert(store.db, {
      keyId,
      version: 1,
      wrappedMaterial: new Uint8Array(1),
      publicKey: null,
      createdAt: now,
      rotationType: null,
      encryptionCount: 0,
    });
    const counters = new EncryptionCounters(16);
    const numbers = await Promise.all(Array.from({ length: 100 }, async () => counters.next(store.db, keyId, 1)));
    expect(new Set(numbers).size).toBe(100);
    expect(Math.min(...numbers)).toBe(1);
    const stored = (await repo.keyVersions.get(store.db, keyId, 1))!.encryptionCount;
    expect(stored).toBeGreaterThanOrEqual(Math.max(...numbers));
    // A second process (another counters object) continues above everything reserved.
    const other = new EncryptionCounters(16);
    expect(await other.next(store.db, keyId, 1)).toBeGreaterThan(Math.max(...numbers));
  });
});

describe('the key cache in LocalKms', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());

  it('never serves a key after it was disabled, even with the key in the cache', async () => {
    const { keyMetadata } = await t.kms.createKey({});
    await t.kms.encrypt({ keyId: keyMetadata.keyId, plaintext: utf8('warm') });
    await t.kms.disableKey({ keyId: keyMetadata.keyId });
    await expectKmsError(t.kms.encrypt({ keyId: keyMetadata.keyId, plaintext: utf8('x') }), 'KEY_DISABLED');
    await t.kms.enableKey({ keyId: keyMetadata.keyId });
    await t.kms.encrypt({ keyId: keyMetadata.keyId, plaintext: utf8('x') });
  });

  it('encrypts under the new version right after a rotation, and follows an alias that moved', async () => {
    const a = (await t.kms.createKey({})).keyMetadata.keyId;
    const b = (await t.kms.createKey({})).keyMetadata.keyId;
    await t.kms.createAlias({ aliasName: 'alias/moving', targetKeyId: a });
    const first = await t.kms.encrypt({ keyId: 'alias/moving', plaintext: utf8('x') });
    expect(first.keyId.endsWith(a)).toBe(true);
    await t.kms.updateAlias({ aliasName: 'alias/moving', targetKeyId: b });
    expect((await t.kms.encrypt({ keyId: 'alias/moving', plaintext: utf8('x') })).keyId.endsWith(b)).toBe(true);
    await t.kms.rotateKeyOnDemand({ keyId: a });
    const blob = (await t.kms.encrypt({ keyId: a, plaintext: utf8('x') })).ciphertextBlob;
    expect(new DataView(blob.buffer, blob.byteOffset).getUint32(17)).toBe(2);
  });

  it('keeps the cache across a metrics scrape (a Prometheus poll must not flush every node); a token call drops it', async () => {
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    await t.kms.encrypt({ keyId, plaintext: utf8('warm') });
    // Disabled behind the service's back: from here on, only a cached copy of the key still encrypts.
    const raw = new (sqliteDriver())(join(t.dir, 'custos.db'));
    try {
      raw.prepare("update keys set state = 'Disabled' where id = ?").run(keyId);
    } finally {
      raw.close();
    }
    await t.kms.readMetrics({ principal: 'scraper', roles: ['monitor'] });
    await t.kms.encrypt({ keyId, plaintext: utf8('still from the cache') });
    // Token calls drop everything (a revocation reaches other nodes' token caches through that notice). The row,
    // read again, fails its MAC (it was edited without the root of trust): INTERNAL, not a disabled key.
    await t.kms.createToken({ roles: ['key-user'] });
    await expectKmsError(t.kms.encrypt({ keyId, plaintext: utf8('re-read') }), 'INTERNAL');
  });

  it('refuses a key scheduled for deletion at once', async () => {
    const { keyMetadata } = await t.kms.createKey({});
    const { ciphertextBlob } = await t.kms.encrypt({ keyId: keyMetadata.keyId, plaintext: utf8('x') });
    await t.kms.decrypt({ ciphertextBlob });
    await t.kms.scheduleKeyDeletion({ keyId: keyMetadata.keyId, pendingWindowInDays: 7, force: true });
    await expectKmsError(t.kms.decrypt({ ciphertextBlob }), 'INVALID_KEY_STATE');
  });
});
