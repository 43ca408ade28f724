// WhoAmI (Custos): the caller's principal, its roles, and what those roles permit (the kinds of access and the
// operations), so that a console or a CLI shows only what the caller may do. Key policies and grants may still allow
// or deny a key-targeted call per key: this is what the roles alone say.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { RoleSchema, type EmptyObject } from '../schemas/common.js';

/** WhoAmI request: nothing. */
export const WhoAmIRequest = Type.Object({}, { additionalProperties: false });
export type WhoAmIRequest = EmptyObject;

/** WhoAmI response. */
export const WhoAmIResponse = Type.Object({
  /** The principal the credentials act as. */
  principal: Type.String(),
  /** Its roles (identity policies). */
  roles: Type.Array(RoleSchema),
  /** The kinds of access the roles grant: manage, use, read, audit, tokens, monitor, export. */
  access: Type.Array(Type.String()),
  /** The operations (wire names, e.g. `CreateKey`) the roles permit; key policies may restrict them per key. */
  operations: Type.Array(Type.String()),
  /** The server that answered: its Custos version and node (host name and process id), for consoles and support. */
  server: Type.Object({ version: Type.String(), node: Type.String() }),
});
export type WhoAmIResponse = Static<typeof WhoAmIResponse>;

/** The WhoAmI operation: GET /v1/whoami (Custos only). */
export const whoAmIOperation = contractOperation({
  method: 'whoAmI',
  name: 'WhoAmI',
  request: WhoAmIRequest,
  response: WhoAmIResponse,
  route: { method: 'GET', path: '/v1/whoami' },
  safeToRetry: true, // a read
  aws: false,
});
