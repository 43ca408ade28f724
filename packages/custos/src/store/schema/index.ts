// Composes the table interfaces into the Kysely `Database` type (one file per table beside this one).
// Must not import service or api; row types never leave the store.
import type { AccessKeysTable } from './access-keys.js';
import type { AliasesTable } from './aliases.js';
import type { AttestationIdentityTable } from './attestation-identity.js';
import type { AuditCheckpointsTable } from './audit-checkpoints.js';
import type { ApiTokensTable } from './api-tokens.js';
import type { AuditLogTable } from './audit-log.js';
import type { CustomKeyStoresTable } from './custom-key-stores.js';
import type { GrantsTable } from './grants.js';
import type { ImportTokensTable } from './import-tokens.js';
import type { KeyCertificatesTable } from './key-certificates.js';
import type { KeyTagsTable } from './key-tags.js';
import type { KeyVersionsTable } from './key-versions.js';
import type { KeysTable } from './keys.js';
import type { KeyringKeysTable } from './keyring-keys.js';
import type { KeyringPoliciesTable } from './keyring-policies.js';
import type { MetaTable } from './meta.js';
import type { RequestReplaysTable } from './request-replays.js';
import type { TrustedCertificatesTable } from './trusted-certificates.js';
import type { KeyPinsTable } from './key-pins.js';
import type { KeyUsageTable } from './key-usage.js';
import type { KeyChangesTable } from './key-changes.js';

export interface Database {
  keys: KeysTable;
  key_versions: KeyVersionsTable;
  aliases: AliasesTable;
  key_tags: KeyTagsTable;
  import_tokens: ImportTokensTable;
  audit_log: AuditLogTable;
  meta: MetaTable;
  api_tokens: ApiTokensTable;
  access_keys: AccessKeysTable;
  audit_checkpoints: AuditCheckpointsTable;
  request_replays: RequestReplaysTable;
  key_certificates: KeyCertificatesTable;
  trusted_certificates: TrustedCertificatesTable;
  custom_key_stores: CustomKeyStoresTable;
  attestation_identity: AttestationIdentityTable;
  keyring_policies: KeyringPoliciesTable;
  keyring_keys: KeyringKeysTable;
  grants: GrantsTable;
  key_pins: KeyPinsTable;
  key_usage: KeyUsageTable;
  /** SQLite only (migration 019). */
  key_changes: KeyChangesTable;
}

export type * from './access-keys.js';
export type * from './aliases.js';
export type * from './api-tokens.js';
export type * from './attestation-identity.js';
export type * from './audit-checkpoints.js';
export type * from './audit-log.js';
export type * from './columns.js';
export type * from './custom-key-stores.js';
export type * from './grants.js';
export type * from './import-tokens.js';
export type * from './key-certificates.js';
export type * from './key-changes.js';
export type * from './key-tags.js';
export type * from './key-versions.js';
export type * from './keys.js';
export type * from './keyring-keys.js';
export type * from './keyring-policies.js';
export type * from './meta.js';
export type * from './request-replays.js';
export type * from './trusted-certificates.js';
export type * from './key-pins.js';
export type * from './key-usage.js';
