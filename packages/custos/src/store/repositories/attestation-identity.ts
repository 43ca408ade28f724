// Repository for the attestation identity's chain (AttestationChainRecord), one row, row-MAC'd.
// Must not import service or api; rows are mapped to records here and never returned.
import type { AttestationIdentityRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { AttestationChainRecord } from '../types.js';
import { checkRow, withMac } from './authenticated.js';
import { ms, toDate } from './convert.js';

const ID = 'default';

function toRecord(db: Db, row: AttestationIdentityRow): AttestationChainRecord {
  checkRow(db, 'attestation_identity', row.id, row);
  return {
    publicKey: new Uint8Array(Buffer.from(row.public_key, 'base64')),
    chain: JSON.parse(row.chain) as string[],
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/** The identity's chain, or undefined before the first one is made. */
export async function get(db: Db): Promise<AttestationChainRecord | undefined> {
  const row = await db.selectFrom('attestation_identity').selectAll().where('id', '=', ID).executeTakeFirst();
  return row && toRecord(db, row);
}

/**
 * Sets the chain. `replace: false` writes only when there is none yet (two nodes making the default at once: the
 * first wins, the other reads it back); `replace: true` overwrites (SetAttestationChain).
 */
export async function put(
  db: Db,
  record: Pick<AttestationChainRecord, 'publicKey' | 'chain'>,
  now: Date,
  replace: boolean,
): Promise<void> {
  const existing = await get(db);
  const row = withMac(db, 'attestation_identity', {
    id: ID,
    public_key: Buffer.from(record.publicKey).toString('base64'),
    chain: JSON.stringify(record.chain),
    created_at: ms(existing?.createdAt ?? now),
    updated_at: ms(now),
  });
  if (existing && !replace) return;
  if (existing) await db.updateTable('attestation_identity').set(row).where('id', '=', ID).execute();
  else
    await db
      .insertInto('attestation_identity')
      .values(row)
      .onConflict((oc) => (replace ? oc.column('id').doUpdateSet(row) : oc.column('id').doNothing()))
      .execute();
}
