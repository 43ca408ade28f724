// RevokeToken (Custos): a token stops authenticating at once; its record stays for the audit trail.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';

/** RevokeToken request. */
export const RevokeTokenRequest = Type.Object(
  {
    tokenId: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type RevokeTokenRequest = Static<typeof RevokeTokenRequest>;

/** RevokeToken response. */
export const RevokeTokenResponse = Type.Object({});
export type RevokeTokenResponse = Static<typeof RevokeTokenResponse>;
