// The `keyring_policies` table (migration 012): MOSIP's key_policy_def, one row per application id.
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Flag, Int64 } from './columns.js';

export interface KeyringPoliciesTable {
  application_id: string;
  validity_days: number;
  pre_expire_days: number;
  active: Flag;
  /** 'NA' = any caller, else a comma list of principals. */
  access_allowed: string;
  created_at: Int64;
  updated_at: Int64;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts). */
  row_mac: string | null;
}

export type KeyringPolicyRow = Selectable<KeyringPoliciesTable>;
