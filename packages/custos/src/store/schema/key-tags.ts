// The `key_tags` table: one row per (key, tag key).
// Must not import service or api.
import type { Selectable } from 'kysely';

export interface KeyTagsTable {
  key_id: string;
  tag_key: string;
  tag_value: string;
}

export type KeyTagRow = Selectable<KeyTagsTable>;
