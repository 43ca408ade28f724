// Repository for key certificate chains (KeyCertificateRecord), one row per key, row-MAC'd.
// Must not import service or api; rows are mapped to records here and never returned.
import type { KeyCertificateRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { KeyCertificateRecord } from '../types.js';
import { checkRow, withMac } from './authenticated.js';
import { ms, num, toDate } from './convert.js';

function toRecord(db: Db, row: KeyCertificateRow): KeyCertificateRecord {
  checkRow(db, 'key_certificates', row.key_id, row);
  return {
    keyId: row.key_id,
    keyVersion: num(row.key_version),
    chain: JSON.parse(row.chain) as string[],
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/** The key's certificate chain, or undefined. */
export async function get(db: Db, keyId: string): Promise<KeyCertificateRecord | undefined> {
  const row = await db.selectFrom('key_certificates').selectAll().where('key_id', '=', keyId).executeTakeFirst();
  return row && toRecord(db, row);
}

/**
 * Sets the key's chain, replacing any before (keeping its creation time). Call inside a transaction that holds the
 * key's lock, so two writers of one key's certificate take turns.
 */
export async function put(
  db: Db,
  record: Pick<KeyCertificateRecord, 'keyId' | 'keyVersion' | 'chain'>,
  now: Date,
): Promise<void> {
  const existing = await get(db, record.keyId);
  const row = withMac(db, 'key_certificates', {
    key_id: record.keyId,
    key_version: record.keyVersion,
    chain: JSON.stringify(record.chain),
    created_at: ms(existing?.createdAt ?? now),
    updated_at: ms(now),
  });
  if (existing) await db.updateTable('key_certificates').set(row).where('key_id', '=', record.keyId).execute();
  else await db.insertInto('key_certificates').values(row).execute();
}
