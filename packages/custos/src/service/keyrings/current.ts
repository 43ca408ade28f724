// Finding a keyring's current generation (MOSIP: the key alias whose validity holds now), with its Custos key.
// Must not import api.
import type { Db } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord, KeyringKeyKind, KeyringKeyRecord } from '../../store/types.js';
import { isCurrent, type Ring } from './rings.js';

/** A generation and its key (null for a partner certificate, which has no key here). */
export interface Generation {
  readonly entry: KeyringKeyRecord;
  readonly key: KeyRecord | null;
}

/**
 * The newest current generation of `kinds` in the ring whose key is Enabled (an operator's disabled or deleted key
 * is not current: the next use makes a new one), or undefined.
 */
export async function currentGeneration(
  db: Db,
  ring: Ring,
  kinds: readonly KeyringKeyKind[],
  preExpireDays: number,
  now: Date,
): Promise<Generation | undefined> {
  const entries = await repo.keyringKeys.ofKeyring(db, ring.applicationId, ring.referenceId);
  for (const entry of entries) {
    if (!kinds.includes(entry.kind) || !isCurrent(entry, preExpireDays, now)) continue;
    if (entry.keyId === null) return { entry, key: null };
    const key = await repo.keys.get(db, entry.keyId);
    if (key?.state === 'Enabled') return { entry, key };
  }
  return undefined;
}
