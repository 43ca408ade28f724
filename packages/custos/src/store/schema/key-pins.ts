// The `key_pins` table: a PIN-protected key's PIN policy, PIN and PUK hashes and failure counters (migration 015).
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Flag, Int64 } from './columns.js';

export interface KeyPinsTable {
  key_id: string;
  /** JSON PinPolicy (contract schemas/key-pins.ts). */
  policy: string;
  /** Salted scrypt hash of the peppered PIN (service/key-pins/pin-hash.ts); never the PIN. */
  pin_hash: string;
  puk_hash: string;
  /** Wrong PINs in a row, counting tries still being checked. */
  pin_failures: number;
  puk_failures: number;
  blocked: Flag;
  created_at: Int64;
  updated_at: Int64;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts). */
  row_mac: string | null;
}

export type KeyPinRow = Selectable<KeyPinsTable>;
