// The `meta` table: key/value text for store-wide facts (schema information, the root key check value).
// Must not import service or api.
export interface MetaTable {
  key: string;
  value: string;
}
