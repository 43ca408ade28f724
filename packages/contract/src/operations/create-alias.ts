// CreateAlias (AWS KMS CreateAlias): a friendly name that points at a key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { AliasName, KeyIdString } from '../schemas/common.js';

/** CreateAlias request. */
export const CreateAliasRequest = Type.Object(
  {
    aliasName: AliasName,
    targetKeyId: KeyIdString,
  },
  { additionalProperties: false },
);
export type CreateAliasRequest = Static<typeof CreateAliasRequest>;

/** CreateAlias response. */
export const CreateAliasResponse = Type.Object({});
export type CreateAliasResponse = Static<typeof CreateAliasResponse>;
