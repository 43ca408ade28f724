// A bounded in-process cache of key records, alias targets, version records and unwrapped material, for the
// cryptographic hot path. Every operation that changes a key invalidates it (KeyService), so a disabled,
// destroyed or rotated key is never served from here. Must not import api.
import type { PreparedPrivateKey } from '../core/key-objects.js';
import { SecretBytes, exposeSecret } from '../core/secret-bytes.js';
import type { KeyRecord, KeyVersionRecord } from '../store/types.js';
import type { GrantView } from './authz/grants-source.js';

interface Entry<T> {
  readonly value: T;
  readonly at: number;
}

export interface KeyCacheOptions {
  /** How long an entry may be served without re-reading the store (bounds staleness across nodes). 0 disables. */
  readonly ttlMs: number;
  /** Entries per map; the oldest go first. */
  readonly maxEntries: number;
}

export const DEFAULT_KEY_CACHE: KeyCacheOptions = { ttlMs: 5_000, maxEntries: 10_000 };

export class KeyCache {
  readonly #keys = new Map<string, Entry<KeyRecord>>();
  readonly #aliases = new Map<string, Entry<string>>();
  readonly #versions = new Map<string, Entry<KeyVersionRecord>>();
  readonly #materials = new Map<string, Entry<SecretBytes>>();
  readonly #prepared = new Map<string, Entry<PreparedPrivateKey>>();
  /** The grants of a key (`<keyId>:grants`): dropped with the key, so every grant change reaches every node. */
  readonly #grants = new Map<string, Entry<readonly GrantView[]>>();
  /**
   * Bumped by every invalidation. A reader notes it before going to the store and may fill the cache only if
   * it has not moved, so a read that raced a change cannot put the old record back.
   */
  #epoch = 0;

  constructor(private readonly options: KeyCacheOptions = DEFAULT_KEY_CACHE) {}

  get epoch(): number {
    return this.#epoch;
  }

  key(id: string): KeyRecord | undefined {
    return this.#get(this.#keys, id);
  }
  alias(name: string): string | undefined {
    return this.#get(this.#aliases, name);
  }
  version(keyId: string, version: number): KeyVersionRecord | undefined {
    return this.#get(this.#versions, `${keyId}:${version}`);
  }
  /** A copy of the cached material, which the caller owns (and wipes). */
  material(keyId: string, version: number): SecretBytes | undefined {
    const cached = this.#get(this.#materials, `${keyId}:${version}`);
    return cached && SecretBytes.from(exposeSecret(cached));
  }

  /** A parsed private key (asymmetric specs), so the hot path does not parse PKCS#8 on every call. */
  prepared(keyId: string, version: number): PreparedPrivateKey | undefined {
    return this.#get(this.#prepared, `${keyId}:${version}`);
  }
  putPrepared(epoch: number, keyId: string, version: number, prepared: PreparedPrivateKey): void {
    this.#put(epoch, this.#prepared, `${keyId}:${version}`, prepared);
  }

  grants(keyId: string): readonly GrantView[] | undefined {
    return this.#get(this.#grants, `${keyId}:grants`);
  }
  putGrants(epoch: number, keyId: string, grants: readonly GrantView[]): void {
    this.#put(epoch, this.#grants, `${keyId}:grants`, grants);
  }

  putKey(epoch: number, key: KeyRecord): void {
    this.#put(epoch, this.#keys, key.id, key);
  }
  putAlias(epoch: number, name: string, keyId: string): void {
    this.#put(epoch, this.#aliases, name, keyId);
  }
  putVersion(epoch: number, record: KeyVersionRecord): void {
    this.#put(epoch, this.#versions, `${record.keyId}:${record.version}`, record);
  }
  /** Keeps a copy of `material`; the caller keeps (and wipes) its own. */
  putMaterial(epoch: number, keyId: string, version: number, material: SecretBytes): void {
    this.#put(epoch, this.#materials, `${keyId}:${version}`, SecretBytes.from(exposeSecret(material)));
  }

  /** Forgets everything about one key (and every alias, since aliases may point at it). */
  invalidateKey(id: string): void {
    this.#epoch++;
    this.#keys.delete(id);
    for (const map of [this.#versions, this.#materials, this.#prepared, this.#grants] as Map<
      string,
      Entry<unknown>
    >[]) {
      for (const k of map.keys()) if (k.startsWith(`${id}:`)) this.#delete(map, k);
    }
    this.#aliases.clear();
  }

  clear(): void {
    this.#epoch++;
    this.#keys.clear();
    this.#aliases.clear();
    this.#versions.clear();
    this.#prepared.clear();
    this.#grants.clear();
    for (const k of [...this.#materials.keys()]) this.#delete(this.#materials, k);
  }

  #get<T>(map: Map<string, Entry<T>>, k: string): T | undefined {
    const entry = map.get(k);
    if (!entry) return undefined;
    if (Date.now() - entry.at > this.options.ttlMs) {
      this.#delete(map, k);
      return undefined;
    }
    return entry.value;
  }

  #put<T>(epoch: number, map: Map<string, Entry<T>>, k: string, value: T): void {
    if (this.options.ttlMs <= 0 || epoch !== this.#epoch) {
      if (value instanceof SecretBytes) value.wipe();
      return;
    }
    this.#delete(map, k);
    map.set(k, { value, at: Date.now() });
    if (map.size > this.options.maxEntries) {
      const oldest = map.keys().next();
      if (!oldest.done) this.#delete(map, oldest.value);
    }
  }

  /** Removes an entry, wiping material. */
  #delete<T>(map: Map<string, Entry<T>>, k: string): void {
    const entry = map.get(k);
    if (entry?.value instanceof SecretBytes) entry.value.wipe();
    map.delete(k);
  }
}
