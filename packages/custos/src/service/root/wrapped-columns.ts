// Every column the root of trust wraps, with the additional data it was wrapped with: what a root rotation
// re-wraps. A new wrapped column (a custom key store's token PIN) is one more entry. Must not import api.
import type { WrappedColumn } from '../../store/repositories/root-rewrap.js';
import { keyStorePinAad } from '../hsm/key-stores.js';
import { materialAad } from '../key-versions.js';
import { secretAad } from '../operations/create-access-key.js';
import { tokenAad } from '../operations/get-parameters-for-import.js';

const str = (value: string | number | undefined): string => String(value ?? '');

export const WRAPPED_COLUMNS: readonly WrappedColumn[] = [
  {
    // Versions whose material is destroyed, or held in a token (HSM-protected keys), have none: never listed.
    table: 'key_versions',
    column: 'wrapped_material',
    key: ['key_id', 'version'],
    extra: ['keys.spec'],
    joinKeys: true,
    aad: ({ columns }) => materialAad(str(columns.key_id), Number(columns.version), str(columns.spec)),
  },
  {
    table: 'access_keys',
    column: 'wrapped_secret',
    key: ['id'],
    aad: ({ columns }) => secretAad(str(columns.id)),
  },
  {
    table: 'import_tokens',
    column: 'wrapped_private_key',
    key: ['id'],
    extra: ['import_tokens.key_id'],
    aad: ({ columns }) => tokenAad(str(columns.id), str(columns.key_id)),
  },
  {
    table: 'custom_key_stores',
    column: 'wrapped_pin',
    key: ['id'],
    aad: ({ columns }) => keyStorePinAad(str(columns.id)),
  },
];
