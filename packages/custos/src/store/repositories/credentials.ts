// What API tokens and access keys share as stored credentials: revocation and the last-use stamp.
// Must not import service or api.
import type { Db } from '../store.js';
import { updateRow } from './authenticated.js';
import { ms } from './convert.js';

/** Tables of revocable credentials (columns id, revoked_at, last_used_at). */
export type CredentialTable = 'api_tokens' | 'access_keys';

/** Marks the credential revoked at `at` unless it already is; false if it does not exist or was revoked. */
export function revokeCredential(db: Db, table: CredentialTable, id: string, at: Date): Promise<boolean> {
  return updateRow(db, table, { id }, (row) => (row.revoked_at === null ? { revoked_at: ms(at) } : null));
}

/** Records a use of the credential (callers throttle how often they write it). */
export async function touchCredential(db: Db, table: CredentialTable, id: string, at: Date): Promise<void> {
  await db
    .updateTable(table)
    .set({ last_used_at: ms(at) })
    .where('id', '=', id)
    .execute();
}
