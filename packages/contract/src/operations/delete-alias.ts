// DeleteAlias (AWS KMS DeleteAlias): removes an alias (never the key).
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { AliasName } from '../schemas/common.js';

/** DeleteAlias request. */
export const DeleteAliasRequest = Type.Object(
  {
    aliasName: AliasName,
  },
  { additionalProperties: false },
);
export type DeleteAliasRequest = Static<typeof DeleteAliasRequest>;

/** DeleteAlias response. */
export const DeleteAliasResponse = Type.Object({});
export type DeleteAliasResponse = Static<typeof DeleteAliasResponse>;
