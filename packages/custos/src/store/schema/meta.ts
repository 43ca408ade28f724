// The `meta` table: key/value text for store-wide facts (schema information, the root key check value).
// Must not import service or api.
import type { Insertable, Selectable, Updateable } from 'kysely';

export interface MetaTable {
  key: string;
  value: string;
}

export type MetaRow = Selectable<MetaTable>;
export type NewMetaRow = Insertable<MetaTable>;
export type MetaRowUpdate = Updateable<MetaTable>;
