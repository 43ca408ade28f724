// The `request_replays` table: signed AWS requests that changed state, kept until their signature expires.
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Int64 } from './columns.js';

export interface RequestReplaysTable {
  digest: string;
  expires_at: Int64;
}

export type RequestReplayRow = Selectable<RequestReplaysTable>;
