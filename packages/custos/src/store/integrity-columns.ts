// Which columns of each table the row MACs cover (store/integrity.ts computes and checks them): the table of the
// format, in MAC order, with the columns added later and how rows written before them keep their MACs. Data only;
// must not import service, keystore or api.
import type { Database } from './schema/index.js';

/**
 * The authenticated columns of each table, in MAC order. Left out, on purpose: counters a hot path bumps with SQL
 * arithmetic (`key_versions.encryption_count`), the last-use times of credentials (`last_used_at`), which decide
 * nothing, and the usage telemetry of keys (`key_usage`, migration 016): every process adds to its counts with SQL
 * arithmetic; a forged row can only make DeleteKey's recent-use refusal (a safety warning, overridable with force)
 * fire or not — maxUses is enforced on the authenticated `keys.use_count`, never on these rows. A column added to a table is unauthenticated until it is added here (with a new MAC version).
 */
export const AUTHENTICATED_COLUMNS = {
  keys: [
    'id',
    'spec',
    'usage',
    'state',
    'origin',
    'protection_level',
    'description',
    'exportable',
    'created_at',
    'updated_at',
    'deletion_date',
    'pending_window_days',
    'latest_version',
    'rotation_enabled',
    'rotation_period_days',
    'next_rotation_at',
    'allowed_algorithms',
    'not_before',
    'not_after',
    'max_uses',
    'use_count',
    'material_expires_at',
    'application_id',
    'reference_id',
    'policy',
    'trim_date', // migration 016, OMITTED_WHEN_NULL
  ],
  key_versions: [
    'key_id',
    'version',
    'wrapped_material',
    'public_key',
    'created_at',
    'rotation_type',
    'material_check',
    'custom_key_store_id',
    'token_object_id',
    'wrapping_key_id',
  ],
  aliases: ['name', 'key_id', 'created_at', 'updated_at'],
  api_tokens: [
    'id',
    'principal',
    'roles',
    'token_hash',
    'description',
    'created_at',
    'expires_at',
    'revoked_at',
    'tags',
  ],
  access_keys: ['id', 'principal', 'roles', 'wrapped_secret', 'description', 'created_at', 'revoked_at', 'tags'],
  import_tokens: [
    'id',
    'key_id',
    'wrapping_key_spec',
    'wrapping_algorithm',
    'wrapped_private_key',
    'public_key',
    'created_at',
    'expires_at',
  ],
  key_certificates: ['key_id', 'key_version', 'chain', 'created_at', 'updated_at'],
  trusted_certificates: [
    'id',
    'domain',
    'thumbprint',
    'subject',
    'issuer',
    'not_before',
    'not_after',
    'certificate',
    'created_at',
  ],
  custom_key_stores: [
    'id',
    'name',
    'token_label',
    'wrapped_pin',
    'trust_anchor',
    'connection_state',
    'connection_error_code',
    'created_at',
  ],
  attestation_identity: ['id', 'public_key', 'chain', 'created_at', 'updated_at'],
  keyring_policies: [
    'application_id',
    'validity_days',
    'pre_expire_days',
    'active',
    'access_allowed',
    'created_at',
    'updated_at',
  ],
  keyring_keys: [
    'id',
    'application_id',
    'reference_id',
    'kind',
    'key_id',
    'certificate',
    'thumbprint',
    'unique_identifier',
    'generated_at',
    'expires_at',
    'created_at',
  ],
  grants: [
    'id',
    'key_id',
    'grantee_principal',
    'retiring_principal',
    'operations',
    'constraints',
    'name',
    'issuing_principal',
    'created_at',
  ],
  key_pins: [
    'key_id',
    'policy',
    'pin_hash',
    'puk_hash',
    'pin_failures',
    'puk_failures',
    'blocked',
    'created_at',
    'updated_at',
  ],
} as const satisfies { [T in keyof Database]?: readonly (keyof Database[T] & string)[] };

export type AuthenticatedTable = keyof typeof AUTHENTICATED_COLUMNS;

/**
 * Columns added to AUTHENTICATED_COLUMNS after migration 005 (`table.column`): in the MAC text only when not NULL,
 * so the MACs of rows written before them stay valid. They are still authenticated: giving a NULL one a value, or
 * NULLing one that had a value, changes the text and fails the MAC.
 */
export const OMITTED_WHEN_NULL: ReadonlySet<string> = new Set([
  'key_versions.custom_key_store_id',
  'key_versions.token_object_id',
  'key_versions.wrapping_key_id', // migration 012
  'api_tokens.tags', // migration 013: a principal's tags (aws:PrincipalTag/...)
  'access_keys.tags',
  'keys.trim_date', // migration 016: a scheduled trim of old key versions
]);

/**
 * Authenticated columns added to a table after its rows were MAC'd, with the value (as MAC text) every row held
 * before the column existed: the MAC covers such a column only when it holds another value. Append only.
 */
export const LATER_COLUMNS = {
  // 010: /.well-known/jwks.json shows the key; 015: uses need its PIN; 016: the minimum decryption version and trim
  // floor; 017: a public key alone (ImportPublicKey)
  keys: {
    publish_jwk: '0',
    pin_protected: '0',
    min_decryption_version: '1',
    trim_floor: '1',
    public_key_only: '0',
  },
} as const satisfies { [T in AuthenticatedTable]?: Readonly<Partial<Record<keyof Database[T] & string, string>>> };

/** The later columns of a table (none for most). */
type LaterColumn<T extends AuthenticatedTable> = T extends keyof typeof LATER_COLUMNS
  ? keyof (typeof LATER_COLUMNS)[T]
  : never;

/**
 * The column values of a row of `T` that its MAC covers (more columns may be present; they are ignored). A column
 * left out counts as NULL: inserts write every authenticated column, so none is left to a column default.
 */
export type AuthenticatedRow<T extends AuthenticatedTable> = Readonly<
  Partial<Record<(typeof AUTHENTICATED_COLUMNS)[T][number] | LaterColumn<T>, unknown>>
>;
