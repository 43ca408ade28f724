// Who is calling: every Kms operation carries one, even in-process (DESIGN: "Every call carries a caller").
// Must not import anything but TypeBox and names.ts.

import { Type } from '@sinclair/typebox';
import { ROLES, type Role } from './names.js';

/**
 * The authenticated principal of a call, its roles, and the request id that ties audit records and logs together.
 *
 * @example
 * const caller: Caller = { principal: 'svc-billing', roles: ['key-user'], requestId: 'req-7f3a' };
 * await kms.encrypt({ keyId: 'alias/billing', plaintext }, caller);
 */
export interface Caller {
  principal: string;
  roles: readonly Role[];
  requestId?: string;
  /** The client's address as the API layer saw it (`aws:SourceIp` in key policies); unset in-process. */
  sourceIp?: string;
  /** The principal's tags (`aws:PrincipalTag/<key>` in key policies), from its token or access key. */
  tags?: Readonly<Record<string, string>>;
  /**
   * Called with the call's audit receipt (docs/audit.md, `r1.…`) once a successful call's record is committed,
   * before the call resolves; never for a refused or failed call. Unset (the default), no receipt is made. LocalKms
   * makes it; RemoteKms passes on the reply's `x-custos-receipt` header. Must not throw. Not part of the schema.
   */
  onReceipt?: (receipt: string) => void;
  /**
   * The PIN of the key this call uses, for keys created with a PIN policy (docs/authorization.md, "Key PINs"): the
   * body field `pin` or the `X-Custos-Key-Pin` header over HTTP; RemoteKms sends it as that header. Never logged.
   */
  keyPin?: string;
}

/** Schema of {@link Caller}, for code that receives one from outside (tests, tooling). */
export const Caller = Type.Object(
  {
    principal: Type.String({ minLength: 1, maxLength: 256 }),
    roles: Type.Array(Type.Union(ROLES.map((role) => Type.Literal(role)))),
    requestId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    sourceIp: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    tags: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.String({ maxLength: 256 }))),
    keyPin: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
