// Repository for keyring entries (KeyringKeyRecord, MOSIP key_alias): each generation of a keyring's key, row-MAC'd.
// Must not import service or api; rows are mapped to records here and never returned.
import type { KeyringKeyRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { KeyringKeyKind, KeyringKeyRecord } from '../types.js';
import { checkRow, updateRow, withMac } from './authenticated.js';
import { ms, toDate } from './convert.js';

function toRecord(db: Db, row: KeyringKeyRow): KeyringKeyRecord {
  checkRow(db, 'keyring_keys', row.id, row);
  return {
    id: row.id,
    applicationId: row.application_id,
    referenceId: row.reference_id,
    kind: row.kind as KeyringKeyKind,
    keyId: row.key_id,
    certificate: row.certificate,
    thumbprint: row.thumbprint,
    uniqueIdentifier: row.unique_identifier,
    generatedAt: toDate(row.generated_at),
    expiresAt: toDate(row.expires_at),
    createdAt: toDate(row.created_at),
  };
}

export async function insert(db: Db, record: KeyringKeyRecord): Promise<void> {
  await db
    .insertInto('keyring_keys')
    .values(
      withMac(db, 'keyring_keys', {
        id: record.id,
        application_id: record.applicationId,
        reference_id: record.referenceId,
        kind: record.kind,
        key_id: record.keyId,
        certificate: record.certificate,
        thumbprint: record.thumbprint,
        unique_identifier: record.uniqueIdentifier,
        generated_at: ms(record.generatedAt),
        expires_at: ms(record.expiresAt),
        created_at: ms(record.createdAt),
      }),
    )
    .execute();
}

/** Every entry of one keyring (application id, reference id), newest first. */
export async function ofKeyring(db: Db, applicationId: string, referenceId: string): Promise<KeyringKeyRecord[]> {
  const rows = await db
    .selectFrom('keyring_keys')
    .selectAll()
    .where('application_id', '=', applicationId)
    .where('reference_id', '=', referenceId)
    .orderBy('generated_at', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => toRecord(db, row));
}

/** The entries whose certificate has this thumbprint (upper-hex SHA-256), in one keyring. */
export async function byThumbprint(
  db: Db,
  applicationId: string,
  referenceId: string,
  thumbprint: string,
): Promise<KeyringKeyRecord[]> {
  const rows = await db
    .selectFrom('keyring_keys')
    .selectAll()
    .where('thumbprint', '=', thumbprint)
    .where('application_id', '=', applicationId)
    .where('reference_id', '=', referenceId)
    .execute();
  return rows.map((row) => toRecord(db, row));
}

/** Every entry of one kind, by keyring, newest first within each. */
export async function ofKind(db: Db, kind: KeyringKeyKind): Promise<KeyringKeyRecord[]> {
  const rows = await db
    .selectFrom('keyring_keys')
    .selectAll()
    .where('kind', '=', kind)
    .orderBy('application_id')
    .orderBy('reference_id')
    .orderBy('generated_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => toRecord(db, row));
}

/** Entries of the kinds given whose expiry lies before `before` (maintenance picks the due ones among them). */
export async function expiringBefore(
  db: Db,
  kinds: readonly KeyringKeyKind[],
  before: Date,
): Promise<KeyringKeyRecord[]> {
  const rows = await db
    .selectFrom('keyring_keys')
    .selectAll()
    .where('kind', 'in', kinds)
    .where('expires_at', '<', ms(before))
    .orderBy('application_id')
    .orderBy('reference_id')
    .execute();
  return rows.map((row) => toRecord(db, row));
}

/** Sets an entry's certificate (and thumbprint); whether it existed. */
export function setCertificate(db: Db, id: string, certificate: string, thumbprint: string): Promise<boolean> {
  return updateRow(db, 'keyring_keys', { id }, () => ({ certificate, thumbprint }));
}

/** Sets an entry's expiry (RevokeKeyringKey); whether it existed. */
export function setExpiry(db: Db, id: string, expiresAt: Date): Promise<boolean> {
  return updateRow(db, 'keyring_keys', { id }, () => ({ expires_at: ms(expiresAt) }));
}
