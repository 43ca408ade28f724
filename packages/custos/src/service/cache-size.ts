// The key cache's memory budget and its estimate of what each entry costs in the heap (cache.ts charges groups by
// it). Must not import api.
import { getHeapStatistics } from 'node:v8';
import type { KeyRecord, KeyVersionRecord } from '../store/types.js';
import type { GrantView } from './authz/grants-source.js';

/** 2 GiB (about 1.1 million keys with their latest version), but never over half the V8 heap limit. */
export function defaultBudgetBytes(): number {
  return Math.min(2 * 1024 ** 3, Math.floor(getHeapStatistics().heap_size_limit / 2));
}

/**
 * Estimated heap bytes (Node 20, measured by test/service/cache.test.ts against the heap): a group beyond its records
 * (the Map entry, the group, the entries), a key record, a version record (its Uint8Arrays' headers included).
 */
export const GROUP_BYTES = 240;
const KEY_BYTES = 900;
const VERSION_BYTES = 500;
const GRANT_BYTES = 300;
export const ALIAS_BYTES = 160;

export const keyBytes = (key: KeyRecord): number =>
  KEY_BYTES + 2 * (key.id.length + key.description.length + (key.policy?.length ?? 0));
export const grantBytes = (grants: readonly GrantView[]): number => GRANT_BYTES * Math.max(1, grants.length);
export const versionBytes = (v: KeyVersionRecord): number =>
  VERSION_BYTES + (v.wrappedMaterial?.length ?? 0) + (v.publicKey?.length ?? 0) + 2 * v.keyId.length;
