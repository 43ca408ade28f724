// A bounded in-process cache of key records, alias targets, version records and unwrapped material, for the
// cryptographic hot path. Every operation that changes a key invalidates it (KeyService), and so does every change
// another process or node commits (the store's change feed: Store.onKeyChange), so a disabled, destroyed or rotated
// key is never served from here for longer than the feed takes to tell. Must not import api.
//
// Sizing (issue 17). Metadata (key and version records, grants) is held per key in one group, least recently used
// first out, within a memory budget (`budgetBytes`, `--key-cache-mb`; each group charged an estimate of its heap
// size): by default 2 GiB, about 1.1 million keys with their latest version (capped at half the V8 heap limit). It
// does not expire: the change feed keeps it coherent, so a key stays resident until it changes or is evicted.
// Unwrapped material and parsed private keys are bounded on their own, by count (`maxSecrets`, default 65,536), and
// expire `ttlMs` after they were filled whatever their use: they are sensitive, and a KeyObject is far heavier than a
// record. A fill whose read started before an invalidation is refused (the epoch rule). The order of use is kept in
// recency lists (recency-list.ts), not by re-inserting into the Maps.
import type { PreparedPrivateKey } from '../core/key-objects.js';
import { SecretBytes, exposeSecret } from '../core/secret-bytes.js';
import type { KeyRecord, KeyVersionRecord } from '../store/types.js';
import type { GrantView } from './authz/grants-source.js';
import { ALIAS_BYTES, defaultBudgetBytes, grantBytes, GROUP_BYTES, keyBytes, versionBytes } from './cache-size.js';
import { type Recency, RecencyList } from './recency-list.js';

interface Entry<T> {
  readonly value: T;
  readonly at: number;
}

/** Everything cached about one key: evicted together, charged together. */
interface Group extends Recency {
  readonly id: string;
  key?: KeyRecord | undefined;
  /** Usually one (the latest); an array, far lighter than a Map per key. */
  versions?: KeyVersionRecord[] | undefined;
  grants?: readonly GrantView[] | undefined;
  /** Keys of this key's entries in the secrets map. */
  secrets?: Set<string> | undefined;
  bytes: number;
}

/** Material or a prepared key, with the key it belongs to. */
interface SecretEntry extends Entry<SecretBytes | PreparedPrivateKey>, Recency {
  readonly name: string;
  readonly keyId: string;
}

export interface KeyCacheOptions {
  /** How long unwrapped material and parsed keys may be served once filled. 0 disables the whole cache. */
  readonly ttlMs: number;
  /** Estimated heap bytes for metadata (key and version records, grants, aliases); least recently used go first. */
  readonly budgetBytes: number;
  /** Unwrapped materials and parsed private keys held at most (least recently used go first). */
  readonly maxSecrets: number;
}

export const DEFAULT_KEY_CACHE: KeyCacheOptions = {
  ttlMs: 5_000,
  budgetBytes: defaultBudgetBytes(),
  maxSecrets: 65_536,
};

export class KeyCache {
  /** Groups by key id; `#groupOrder` holds them least recently used first. */
  readonly #groups = new Map<string, Group>();
  readonly #groupOrder = new RecencyList<Group>();
  readonly #aliases = new Map<string, string>();
  /** `<keyId>:<version>:m` material, `<keyId>:<version>:p` prepared keys; `#secretOrder` holds them by use. */
  readonly #secrets = new Map<string, SecretEntry>();
  readonly #secretOrder = new RecencyList<SecretEntry>();
  #bytes = 0;
  /**
   * Bumped by every invalidation. A reader notes it before going to the store and may fill the cache only if
   * it has not moved, so a read that raced a change cannot put the old record back.
   */
  #epoch = 0;

  constructor(private readonly options: KeyCacheOptions = DEFAULT_KEY_CACHE) {}

  get epoch(): number {
    return this.#epoch;
  }

  /** Keys with anything cached. */
  get size(): number {
    return this.#groups.size;
  }

  /** Estimated heap bytes of the metadata held (the budget's measure). */
  get bytes(): number {
    return this.#bytes;
  }

  key(id: string): KeyRecord | undefined {
    return this.#touch(id)?.key;
  }
  alias(name: string): string | undefined {
    return this.#aliases.get(name);
  }
  version(keyId: string, version: number): KeyVersionRecord | undefined {
    const versions = this.#touch(keyId)?.versions;
    if (!versions) return undefined;
    const record = versions.length === 1 ? versions[0] : versions.find((v) => v.version === version);
    return record?.version === version ? record : undefined;
  }
  /** A copy of the cached material, which the caller owns (and wipes). */
  material(keyId: string, version: number): SecretBytes | undefined {
    const cached = this.#secret(`${keyId}:${version}:m`);
    return cached instanceof SecretBytes ? SecretBytes.from(exposeSecret(cached)) : undefined;
  }

  /** A parsed private key (asymmetric specs), so the hot path does not parse PKCS#8 on every call. */
  prepared(keyId: string, version: number): PreparedPrivateKey | undefined {
    const cached = this.#secret(`${keyId}:${version}:p`);
    return cached instanceof SecretBytes ? undefined : cached;
  }
  putPrepared(epoch: number, keyId: string, version: number, prepared: PreparedPrivateKey): void {
    this.#putSecret(epoch, keyId, `${keyId}:${version}:p`, prepared);
  }

  grants(keyId: string): readonly GrantView[] | undefined {
    return this.#touch(keyId)?.grants;
  }
  putGrants(epoch: number, keyId: string, grants: readonly GrantView[]): void {
    if (!this.#fillable(epoch)) return;
    const group = this.#group(keyId);
    const old = group.grants ? grantBytes(group.grants) : 0;
    group.grants = grants;
    this.#charge(group, grantBytes(grants) - old);
  }

  putKey(epoch: number, key: KeyRecord): void {
    if (!this.#fillable(epoch)) return;
    const group = this.#group(key.id);
    const old = group.key ? keyBytes(group.key) : 0;
    group.key = key;
    this.#charge(group, keyBytes(key) - old);
  }
  putAlias(epoch: number, name: string, keyId: string): void {
    if (!this.#fillable(epoch)) return;
    this.#aliases.delete(name);
    this.#aliases.set(name, keyId);
    // Aliases share the budget by count: at most as many as the budget holds at their size.
    if (this.#aliases.size * ALIAS_BYTES > this.options.budgetBytes / 8) this.#aliases.delete(first(this.#aliases));
  }
  putVersion(epoch: number, record: KeyVersionRecord): void {
    if (!this.#fillable(epoch)) return;
    const group = this.#group(record.keyId);
    const versions = (group.versions ??= []);
    const at = versions.findIndex((v) => v.version === record.version);
    const previous = at >= 0 ? versions.splice(at, 1)[0] : undefined;
    versions.push(record);
    this.#charge(group, versionBytes(record) - (previous ? versionBytes(previous) : 0));
  }
  /** Keeps a copy of `material`; the caller keeps (and wipes) its own. */
  putMaterial(epoch: number, keyId: string, version: number, material: SecretBytes): void {
    if (!this.#fillable(epoch)) return;
    this.#putSecret(epoch, keyId, `${keyId}:${version}:m`, SecretBytes.from(exposeSecret(material)));
  }

  /** Forgets everything about one key (and every alias, since aliases may point at it). */
  invalidateKey(id: string): void {
    this.#epoch++;
    const group = this.#groups.get(id);
    if (group) this.#evict(id, group);
    this.#aliases.clear();
  }

  clear(): void {
    this.#epoch++;
    for (const [id, group] of [...this.#groups]) this.#evict(id, group);
    this.#aliases.clear();
  }

  #fillable(epoch: number): boolean {
    return this.options.ttlMs > 0 && epoch === this.#epoch;
  }

  #expired(entry: Entry<unknown>): boolean {
    return Date.now() - entry.at > this.options.ttlMs;
  }

  /** The group of `id`, moved to the most recently used end. */
  #touch(id: string): Group | undefined {
    const group = this.#groups.get(id);
    if (group) this.#groupOrder.touch(group);
    return group;
  }

  #group(id: string): Group {
    let group = this.#touch(id);
    if (!group) {
      group = { id, bytes: GROUP_BYTES };
      this.#bytes += GROUP_BYTES;
      this.#groups.set(id, group);
      this.#groupOrder.push(group);
    }
    return group;
  }

  /** Adds `bytes` to the group's charge (a refill may over-charge a little until the group goes), then evicts. */
  #charge(group: Group, bytes: number): void {
    group.bytes += bytes;
    this.#bytes += bytes;
    while (this.#bytes > this.options.budgetBytes && this.#groups.size > 1) {
      const oldest = this.#groupOrder.oldest;
      if (!oldest || oldest === group) break;
      this.#evict(oldest.id, oldest);
    }
  }

  #evict(id: string, group: Group): void {
    this.#groups.delete(id);
    this.#groupOrder.remove(group);
    this.#bytes -= group.bytes;
    for (const k of group.secrets ?? []) this.#deleteSecret(k);
  }

  #secret(k: string): SecretBytes | PreparedPrivateKey | undefined {
    const entry = this.#secrets.get(k);
    if (!entry) return undefined;
    if (this.#expired(entry)) {
      this.#deleteSecret(k);
      return undefined;
    }
    this.#secretOrder.touch(entry);
    return entry.value;
  }

  #putSecret(epoch: number, keyId: string, k: string, value: SecretBytes | PreparedPrivateKey): void {
    if (!this.#fillable(epoch) || this.options.maxSecrets <= 0) {
      if (value instanceof SecretBytes) value.wipe();
      return;
    }
    this.#deleteSecret(k);
    const entry: SecretEntry = { name: k, keyId, value, at: Date.now() };
    this.#secrets.set(k, entry);
    this.#secretOrder.push(entry);
    (this.#group(keyId).secrets ??= new Set()).add(k);
    const oldest = this.#secretOrder.oldest;
    if (this.#secrets.size > this.options.maxSecrets && oldest) this.#deleteSecret(oldest.name);
  }

  /** Removes a secret entry, wiping material. */
  #deleteSecret(k: string): void {
    const entry = this.#secrets.get(k);
    if (!entry) return;
    if (entry.value instanceof SecretBytes) entry.value.wipe();
    this.#secrets.delete(k);
    this.#secretOrder.remove(entry);
    const group = this.#groups.get(entry.keyId);
    // An empty set is dropped: a million resident keys would otherwise each keep one after their material expired.
    if (group?.secrets?.delete(k) && group.secrets.size === 0) group.secrets = undefined;
  }
}

/** The first (least recently used) key of a non-empty map. */
function first<K>(map: Map<K, unknown>): K {
  return map.keys().next().value as K;
}
