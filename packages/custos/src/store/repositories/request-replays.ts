// Repository for the replay guard of signed AWS requests (`request_replays`): the digests of signed requests that
// already ran an operation changing state, each kept until its signature expires. Must not import service or api.
import type { RequestReplayRow } from '../schema/index.js';
import type { Db } from '../store.js';
import { ms } from './convert.js';

/**
 * Records `digest` until `expiresAt`; true when this call recorded it, false when it was already there (a replay).
 * One statement, insert-or-conflict on the primary key: of two nodes racing with the same digest, one wins.
 * @example if (!(await requestReplays.record(db, digest, expiresAt))) throw ...
 */
export async function record(db: Db, digest: string, expiresAt: Date): Promise<boolean> {
  const inserted: Pick<RequestReplayRow, 'digest'> | undefined = await db
    .insertInto('request_replays')
    .values({ digest, expires_at: ms(expiresAt) })
    .onConflict((oc) => oc.column('digest').doNothing())
    .returning('digest')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Deletes the digests that expired before `now`; returns how many. */
export async function removeExpired(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('request_replays').where('expires_at', '<', ms(now)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
