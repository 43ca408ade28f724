// The key cache: a fast path that must never change an answer.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SecretBytes, exposeSecret } from '../../src/core/secret-bytes.js';
import { getHeapStatistics } from 'node:v8';
import { DEFAULT_KEY_CACHE, KeyCache } from '../../src/service/cache.js';
import { keyRecord, keyVersionRecord } from '../helpers/key-records.js';
import { eventually, openTestKms, utf8, type TestKms } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const OPTIONS = { ttlMs: 60_000, budgetBytes: 1 << 30, maxSecrets: 10 };

describe('KeyCache', () => {
  it('refuses a fill whose read started before an invalidation (the epoch moved)', () => {
    const cache = new KeyCache(OPTIONS);
    const epoch = cache.epoch;
    cache.invalidateKey('a');
    cache.putKey(epoch, keyRecord({ id: 'a' }));
    expect(cache.key('a')).toBeUndefined();
    cache.putKey(cache.epoch, keyRecord({ id: 'a' }));
    expect(cache.key('a')).toBeDefined();
  });

  it('drops a key, its versions, its material and every alias on invalidation, and wipes the material', () => {
    const cache = new KeyCache(OPTIONS);
    const material = SecretBytes.from(new Uint8Array([1, 2, 3]));
    cache.putKey(cache.epoch, keyRecord({ id: 'a' }));
    cache.putVersion(cache.epoch, keyVersionRecord('a', 1));
    cache.putAlias(cache.epoch, 'alias/x', 'a');
    cache.putMaterial(cache.epoch, 'a', 1, material);
    const copy = cache.material('a', 1)!;
    expect([...exposeSecret(copy)]).toEqual([1, 2, 3]);
    const wipe = vi.spyOn(SecretBytes.prototype, 'wipe');
    cache.invalidateKey('a');
    expect(wipe).toHaveBeenCalledTimes(1); // the cache's own copy
    wipe.mockRestore();
    expect(cache.key('a')).toBeUndefined();
    expect(cache.version('a', 1)).toBeUndefined();
    expect(cache.alias('alias/x')).toBeUndefined();
    expect(cache.material('a', 1)).toBeUndefined();
    expect(cache.bytes).toBe(0);
    expect([...exposeSecret(copy)]).toEqual([1, 2, 3]); // the caller's copy is its own
  });

  it('holds metadata within its memory budget, least recently used out first (a hit keeps a key in)', () => {
    const one = new KeyCache(OPTIONS);
    one.putKey(0, keyRecord({ id: 'z' }));
    const perKey = one.bytes;
    const cache = new KeyCache({ ...OPTIONS, budgetBytes: perKey * 2 + perKey / 2 });
    cache.putKey(0, keyRecord({ id: 'a' }));
    cache.putKey(0, keyRecord({ id: 'b' }));
    expect(cache.key('a')).toBeDefined(); // a is now the most recently used
    cache.putKey(0, keyRecord({ id: 'c' }));
    expect(cache.key('b')).toBeUndefined();
    expect(cache.key('a')).toBeDefined();
    expect(cache.key('c')).toBeDefined();
    expect(cache.bytes).toBeLessThanOrEqual(perKey * 2 + perKey / 2);
    // Filling the same key again does not charge it twice.
    cache.putKey(0, keyRecord({ id: 'c' }));
    expect(cache.bytes).toBe(perKey * 2);
  });

  it('bounds material and prepared keys by count on their own, wiping what it drops', () => {
    const cache = new KeyCache({ ...OPTIONS, maxSecrets: 2 });
    const wipe = vi.spyOn(SecretBytes.prototype, 'wipe');
    for (const id of ['a', 'b', 'c']) cache.putMaterial(0, id, 1, SecretBytes.from(new Uint8Array([1])));
    expect(wipe).toHaveBeenCalledTimes(1); // a's copy
    wipe.mockRestore();
    expect(cache.material('a', 1)).toBeUndefined();
    expect(cache.material('c', 1)).toBeDefined();
  });

  it('drops the least recently used material first: a hit keeps it in, and a dropped key keeps its metadata', () => {
    const cache = new KeyCache({ ...OPTIONS, maxSecrets: 2 });
    cache.putKey(0, keyRecord({ id: 'a' }));
    for (const id of ['a', 'b']) cache.putMaterial(0, id, 1, SecretBytes.from(new Uint8Array([1])));
    expect(cache.material('a', 1)).toBeDefined(); // b is now the least recently used
    cache.putMaterial(0, 'c', 1, SecretBytes.from(new Uint8Array([1])));
    expect(cache.material('b', 1)).toBeUndefined();
    expect(cache.material('a', 1)).toBeDefined();
    expect(cache.material('c', 1)).toBeDefined();
    // Invalidating a drops its material from the count: two more fit without dropping c.
    cache.invalidateKey('a');
    cache.putMaterial(cache.epoch, 'd', 1, SecretBytes.from(new Uint8Array([1])));
    expect(cache.material('c', 1)).toBeDefined();
    expect(cache.material('d', 1)).toBeDefined();
  });

  it('keeps its order of use through many hits on one key among many (the recency list, not Map re-insertion)', () => {
    const one = new KeyCache(OPTIONS);
    one.putKey(0, keyRecord({ id: 'z' }));
    const perKey = one.bytes;
    // Room for the thousand (their longer ids are charged 5,780 bytes more than z's), not for one more.
    const cache = new KeyCache({ ...OPTIONS, budgetBytes: perKey * 1000 + 6000 });
    for (let i = 0; i < 1000; i++) cache.putKey(0, keyRecord({ id: `k${i}` }));
    for (let i = 0; i < 50_000; i++) expect(cache.key('k0')).toBeDefined();
    cache.putKey(0, keyRecord({ id: 'new' })); // over budget: the oldest untouched key goes, not k0
    expect(cache.key('k1')).toBeUndefined();
    expect(cache.key('k0')).toBeDefined();
    expect(cache.key('k2')).toBeDefined();
  });

  it('by default holds at least a million keys with their latest version, by an estimate no lower than the heap cost', () => {
    const cache = new KeyCache({ ...DEFAULT_KEY_CACHE, budgetBytes: Number.MAX_SAFE_INTEGER });
    const n = 20_000;
    const held: unknown[] = [];
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      cache.putKey(0, keyRecord({ id }));
      const version = keyVersionRecord(id, 1, { wrappedMaterial: new Uint8Array(60) });
      cache.putVersion(0, version);
      held.push(version);
    }
    const heapPerKey = (process.memoryUsage().heapUsed - heapBefore) / n;
    const perKey = cache.bytes / n;
    // The estimate is no lower than what the heap grew by (loosely: no forced GC here; the estimate is measured
    // with --expose-gc in docs/performance.md), and the default budget (where the heap limit allows) holds 1 M.
    expect(perKey).toBeGreaterThan(heapPerKey * 0.6);
    if (getHeapStatistics().heap_size_limit >= 4 * 1024 ** 3)
      expect(DEFAULT_KEY_CACHE.budgetBytes / perKey).toBeGreaterThanOrEqual(1_000_000);
  });

  it('serves nothing when the TTL is 0', () => {
    const cache = new KeyCache({ ...OPTIONS, ttlMs: 0 });
    cache.putKey(cache.epoch, keyRecord({ id: 'a' }));
    expect(cache.key('a')).toBeUndefined();
  });

  it('serves no material older than its TTL (and wipes it), while metadata stays until invalidated', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const cache = new KeyCache({ ...OPTIONS, ttlMs: 5_000 });
      cache.putKey(0, keyRecord({ id: 'a' }));
      cache.putVersion(0, keyVersionRecord('a', 1));
      const material = SecretBytes.from(new Uint8Array([1, 2, 3]));
      cache.putMaterial(0, 'a', 1, material);
      const bytes = cache.bytes;
      const wipe = vi.spyOn(SecretBytes.prototype, 'wipe');
      vi.setSystemTime(Date.now() + 5_001);
      expect(cache.material('a', 1)).toBeUndefined();
      expect(wipe).toHaveBeenCalledTimes(1);
      wipe.mockRestore();
      // The change feed keeps metadata coherent: no expiry (a day later, still there).
      vi.setSystemTime(Date.now() + 86_400_000);
      expect(cache.key('a')?.id).toBe('a');
      expect(cache.version('a', 1)?.version).toBe(1);
      expect(cache.bytes).toBe(bytes);
      cache.invalidateKey('a');
      expect(cache.key('a')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
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

  it('keeps every cached key across token, access-key and metrics calls, which change no key', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) keys.push((await t.kms.createKey({})).keyMetadata.keyId);
    // The feed's echo of those creations (a poll every 100 ms) drops them once more: warm them until a whole 250 ms
    // passes with nothing dropped.
    let held = 0;
    await eventually(async () => {
      for (const keyId of keys) await t.kms.encrypt({ keyId, plaintext: utf8('warm') });
      held = t.kms.keyCacheStatus().keys;
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(t.kms.keyCacheStatus().keys).toBe(held);
    }, 5000);
    expect(held).toBeGreaterThanOrEqual(3);
    const { tokenId } = await t.kms.createToken({ roles: ['key-user'] });
    await t.kms.revokeToken({ tokenId });
    const { accessKeyId } = await t.kms.createAccessKey({ roles: ['key-user'] });
    await t.kms.revokeAccessKey({ accessKeyId });
    await t.kms.listTokens({});
    // Nor does a metrics scrape: a Prometheus poll must not flush every node.
    await t.kms.readMetrics({ principal: 'scraper', roles: ['monitor'] });
    expect(t.kms.keyCacheStatus().keys).toBe(held);
  });

  it('refuses a key scheduled for deletion at once', async () => {
    const { keyMetadata } = await t.kms.createKey({});
    const { ciphertextBlob } = await t.kms.encrypt({ keyId: keyMetadata.keyId, plaintext: utf8('x') });
    await t.kms.decrypt({ ciphertextBlob });
    await t.kms.scheduleKeyDeletion({ keyId: keyMetadata.keyId, pendingWindowInDays: 7, force: true });
    await expectKmsError(t.kms.decrypt({ ciphertextBlob }), 'INVALID_KEY_STATE');
  });
});
