// Repository for key_pins (KeyPinRecord): the PIN state of PIN-protected keys, row-MAC'd. Its counters change only
// by compare-and-set on the row MAC (authenticated.ts updateRow), so concurrent tries on any node are each counted.
// Must not import service or api.
import type { PinPolicy } from '@custos/contract';
import type { KeyPinRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { KeyPinRecord } from '../types.js';
import { checkRow, updateRow, withMac } from './authenticated.js';
import { flag, ms, num, toDate } from './convert.js';

/** What a change of the PIN state may write. */
export type KeyPinPatch = Partial<Pick<KeyPinRecord, 'pinHash' | 'pinFailures' | 'pukFailures' | 'blocked'>>;

function toRecord(row: KeyPinRow): KeyPinRecord {
  return {
    keyId: row.key_id,
    policy: JSON.parse(row.policy) as PinPolicy,
    pinHash: row.pin_hash,
    pukHash: row.puk_hash,
    pinFailures: num(row.pin_failures),
    pukFailures: num(row.puk_failures),
    blocked: num(row.blocked) !== 0,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export async function insert(db: Db, record: KeyPinRecord): Promise<void> {
  const row = {
    key_id: record.keyId,
    policy: JSON.stringify(record.policy),
    pin_hash: record.pinHash,
    puk_hash: record.pukHash,
    pin_failures: record.pinFailures,
    puk_failures: record.pukFailures,
    blocked: flag(record.blocked),
    created_at: ms(record.createdAt),
    updated_at: ms(record.updatedAt),
  };
  await db
    .insertInto('key_pins')
    .values(withMac(db, 'key_pins', row))
    .execute();
}

/** The key's PIN state, its MAC checked (RowIntegrityError otherwise); undefined when the key has none. */
export async function get(db: Db, keyId: string): Promise<KeyPinRecord | undefined> {
  const row = await db.selectFrom('key_pins').selectAll().where('key_id', '=', keyId).executeTakeFirst();
  return row && toRecord(checkRow(db, 'key_pins', row.key_id, row));
}

/**
 * Changes the key's PIN state atomically: `decide` sees the state as stored (MAC checked) and returns the fields to
 * write, or null to write nothing; the write applies only if the row is unchanged since it was read, else `decide`
 * runs again on the new state (so it must be pure). Resolves to the state `decide` last saw and what it wrote, or
 * undefined when the key has no PIN row.
 * @example await keyPins.change(db, id, (s) => ({ pinFailures: s.pinFailures + 1 }), now);
 */
export async function change(
  db: Db,
  keyId: string,
  decide: (current: KeyPinRecord) => KeyPinPatch | null,
  now: Date,
): Promise<{ readonly before: KeyPinRecord; readonly written: KeyPinPatch | null } | undefined> {
  let seen: { before: KeyPinRecord; written: KeyPinPatch | null } | undefined;
  await updateRow(db, 'key_pins', { key_id: keyId }, (row) => {
    const before = toRecord(row as unknown as KeyPinRow);
    const patch = decide(before);
    seen = { before, written: patch };
    if (patch === null) return null;
    return {
      ...(patch.pinHash !== undefined && { pin_hash: patch.pinHash }),
      ...(patch.pinFailures !== undefined && { pin_failures: patch.pinFailures }),
      ...(patch.pukFailures !== undefined && { puk_failures: patch.pukFailures }),
      ...(patch.blocked !== undefined && { blocked: flag(patch.blocked) }),
      updated_at: ms(now),
    };
  });
  return seen;
}
