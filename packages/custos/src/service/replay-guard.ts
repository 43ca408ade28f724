// The replay guard of signed requests (the AWS protocol's SigV4): which operations change state, and the record of
// the signatures of those already served, shared by every node through the store. Must not import api.
import { ACCESS_KEEPS_KEYS, type Access } from './lifecycle.js';
import type { ServiceContext } from './context.js';
import type { Store } from '../store/index.js';
import * as repo from '../store/repositories/index.js';
import { SERVICE_OPERATIONS } from './operations/index.js';

/**
 * How long a digest outlives its signature's expiry: a node whose clock is behind still accepts the signature for
 * that long, and must still find the digest. Clocks of one cluster further apart than this defeat the guard.
 */
const CLOCK_DRIFT_MARGIN_MS = 5 * 60 * 1000;
/** Expired digests are deleted at most this often per store (and per process), on the way to recording one. */
const PRUNE_INTERVAL_MS = 60 * 1000;

/** Each operation's kind of access, by its AWS name (`DisableKey` → `manage`). */
const ACCESS_BY_NAME: ReadonlyMap<string, Access> = new Map(
  Object.values(SERVICE_OPERATIONS).map((operation) => [operation.name, operation.access]),
);

const lastPrune = new WeakMap<Store, number>();

/**
 * Whether a call of the operation named `name` (AWS spelling) changes state: its kind of access is one whose
 * operations may change keys, tokens or access keys (`manage`, `tokens`). An unknown name counts as changing state.
 * @example changesState('DisableKey') // true; changesState('Encrypt') // false
 */
export function changesState(name: string): boolean {
  const access = ACCESS_BY_NAME.get(name);
  return access === undefined || !ACCESS_KEEPS_KEYS[access];
}

/**
 * Admits a signed request for `operation`: true when it may run, false when it is a replay, i.e. a request that
 * changes state whose signature `digest` (hex SHA-256) was already recorded. Requests that change nothing are
 * always admitted and not recorded. The digest is kept until the signature expires (`expiresAt`), plus a margin
 * for clock drift between nodes; expired digests are pruned now and then.
 */
export async function recordSignedRequest(
  context: ServiceContext,
  operation: string,
  digest: string,
  expiresAt: Date,
): Promise<boolean> {
  if (!changesState(operation)) return true;
  await pruneNowAndThen(context);
  return repo.requestReplays.record(context.store.db, digest, new Date(expiresAt.getTime() + CLOCK_DRIFT_MARGIN_MS));
}

/** Deletes expired digests when this process has not done so for PRUNE_INTERVAL_MS. A failure is logged only. */
async function pruneNowAndThen(context: ServiceContext): Promise<void> {
  const now = context.now();
  const last = lastPrune.get(context.store);
  if (last !== undefined && now.getTime() - last < PRUNE_INTERVAL_MS) return;
  lastPrune.set(context.store, now.getTime());
  await repo.requestReplays.removeExpired(context.store.db, now).catch((err: unknown) => {
    context.logger.error({ err }, 'pruning expired request signatures failed');
  });
}
