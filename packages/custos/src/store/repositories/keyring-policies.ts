// Repository for keyring policies (KeyringPolicyRecord, MOSIP key_policy_def), row-MAC'd.
// Must not import service or api; rows are mapped to records here and never returned.
import type { KeyringPolicyRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { KeyringPolicyRecord } from '../types.js';
import { checkRow, withMac } from './authenticated.js';
import { flag, ms, toDate } from './convert.js';

function toRecord(db: Db, row: KeyringPolicyRow): KeyringPolicyRecord {
  checkRow(db, 'keyring_policies', row.application_id, row);
  return {
    applicationId: row.application_id,
    validityDays: row.validity_days,
    preExpireDays: row.pre_expire_days,
    active: row.active === 1,
    accessAllowed: row.access_allowed,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/** The policy of an application id, or undefined. */
export async function get(db: Db, applicationId: string): Promise<KeyringPolicyRecord | undefined> {
  const row = await db
    .selectFrom('keyring_policies')
    .selectAll()
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  return row && toRecord(db, row);
}

/** Every policy, by application id. */
export async function list(db: Db): Promise<KeyringPolicyRecord[]> {
  const rows = await db.selectFrom('keyring_policies').selectAll().orderBy('application_id').execute();
  return rows.map((row) => toRecord(db, row));
}

/** Inserts or replaces a policy (keeping its creation time). Returns the policy as stored. */
export async function put(
  db: Db,
  policy: Omit<KeyringPolicyRecord, 'createdAt' | 'updatedAt'>,
  now: Date,
): Promise<KeyringPolicyRecord> {
  const existing = await get(db, policy.applicationId);
  const createdAt = existing?.createdAt ?? now;
  const row = withMac(db, 'keyring_policies', {
    application_id: policy.applicationId,
    validity_days: policy.validityDays,
    pre_expire_days: policy.preExpireDays,
    active: flag(policy.active),
    access_allowed: policy.accessAllowed,
    created_at: ms(createdAt),
    updated_at: ms(now),
  });
  if (existing)
    await db.updateTable('keyring_policies').set(row).where('application_id', '=', policy.applicationId).execute();
  else await db.insertInto('keyring_policies').values(row).execute();
  return { ...policy, createdAt, updatedAt: now };
}

/** Removes a policy; whether it existed. */
export async function remove(db: Db, applicationId: string): Promise<boolean> {
  const result = await db.deleteFrom('keyring_policies').where('application_id', '=', applicationId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
