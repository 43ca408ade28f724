// RevokeAccessKey (Custos): an access key stops authenticating at once; its record stays for the audit trail.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';

/** RevokeAccessKey request. */
export const RevokeAccessKeyRequest = Type.Object(
  {
    accessKeyId: Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Z0-9]+$' }),
  },
  { additionalProperties: false },
);
export type RevokeAccessKeyRequest = Static<typeof RevokeAccessKeyRequest>;

/** RevokeAccessKey response. */
export const RevokeAccessKeyResponse = Type.Object({});
export type RevokeAccessKeyResponse = Static<typeof RevokeAccessKeyResponse>;
