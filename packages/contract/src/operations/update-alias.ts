// UpdateAlias (AWS KMS UpdateAlias): points an existing alias at another key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { AliasName, KeyIdString } from '../schemas/common.js';

/** UpdateAlias request. */
export const UpdateAliasRequest = Type.Object(
  {
    aliasName: AliasName,
    targetKeyId: KeyIdString,
  },
  { additionalProperties: false },
);
export type UpdateAliasRequest = Static<typeof UpdateAliasRequest>;

/** UpdateAlias response. */
export const UpdateAliasResponse = Type.Object({});
export type UpdateAliasResponse = Static<typeof UpdateAliasResponse>;
