// The `key_usage` table: per key, version and operation, how many uses and when the last one was (migration 016).
// Must not import service or api. Telemetry, not authenticated (store/integrity.ts says why).
import type { Int64 } from './columns.js';

export interface KeyUsageTable {
  key_id: string;
  version: number;
  /** The operation's AWS name (Encrypt, Decrypt, Sign, GenerateDataKey, ...). */
  operation: string;
  count: Int64;
  last_used_at: Int64;
}
