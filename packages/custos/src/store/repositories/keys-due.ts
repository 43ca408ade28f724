// The keys maintenance acts on (service/jobs/maintenance.ts): those whose deletion, rotation, trim or material
// expiry has come, oldest first. Part of the keys repository (keys.ts re-exports them). Must not import service or
// api; rows are mapped to records here and never returned.
import type { Db } from '../store.js';
import type { KeyRecord } from '../types.js';
import { ms } from './convert.js';
import { reader } from './keys.js';

/** PendingDeletion keys whose deletion date has come. */
export async function listDueForDeletion(db: Db, now: Date): Promise<KeyRecord[]> {
  const rows = await db
    .selectFrom('keys')
    .selectAll()
    .where('state', '=', 'PendingDeletion')
    .where('deletion_date', '<=', ms(now))
    .orderBy('deletion_date')
    .orderBy('id')
    .execute();
  return rows.map(reader(db));
}

/** Enabled keys with automatic rotation whose next rotation time has come. */
export async function listDueForRotation(db: Db, now: Date): Promise<KeyRecord[]> {
  const rows = await db
    .selectFrom('keys')
    .selectAll()
    .where('state', '=', 'Enabled')
    .where('rotation_enabled', '=', 1)
    .where('next_rotation_at', '<=', ms(now))
    .orderBy('next_rotation_at')
    .orderBy('id')
    .execute();
  return rows.map(reader(db));
}

/** Keys whose imported material has expired and still holds material (not Destroyed, PendingDeletion or PendingImport). */
export async function listExpiredMaterial(db: Db, now: Date): Promise<KeyRecord[]> {
  const rows = await db
    .selectFrom('keys')
    .selectAll()
    .where('material_expires_at', '<=', ms(now))
    .where('state', 'not in', ['Destroyed', 'PendingDeletion', 'PendingImport'])
    .orderBy('material_expires_at')
    .orderBy('id')
    .execute();
  return rows.map(reader(db));
}

/** Keys whose scheduled trim of old versions has come (trimKeyVersions). */
export async function listDueForTrim(db: Db, now: Date): Promise<KeyRecord[]> {
  const rows = await db
    .selectFrom('keys')
    .selectAll()
    .where('trim_date', '<=', ms(now))
    .orderBy('trim_date')
    .orderBy('id')
    .execute();
  return rows.map(reader(db));
}
