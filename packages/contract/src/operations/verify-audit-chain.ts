// VerifyAuditChain (Custos only): recomputes the audit hash chain; `brokenAt` is the first seq that does not match.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import type { EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** VerifyAuditChain request. */
export const VerifyAuditChainRequest = Type.Object({}, { additionalProperties: false });
export type VerifyAuditChainRequest = EmptyObject;

/** VerifyAuditChain response. */
export const VerifyAuditChainResponse = Type.Object({
  ok: Type.Boolean(),
  count: Type.Optional(Type.Integer({ minimum: 0 })),
  brokenAt: Type.Optional(Type.Integer({ minimum: 1 })),
  /**
   * Rows the audit log shows to be older than their last recorded change (put back from a backup or an earlier
   * copy: docs/threat-model.md): a key whose row predates its last audited change, a token or access key the log
   * says was revoked. Present (and `ok` false) only when there are some.
   */
  staleRows: Type.Optional(
    Type.Array(
      Type.Object({
        table: Type.Union([Type.Literal('keys'), Type.Literal('api_tokens'), Type.Literal('access_keys')]),
        row: Type.String(),
        /** The audit record the row contradicts. */
        seq: Type.Integer({ minimum: 1 }),
      }),
    ),
  ),
});
export type VerifyAuditChainResponse = Static<typeof VerifyAuditChainResponse>;

/** The VerifyAuditChain operation: GET /v1/audit/verify (Custos only). */
export const verifyAuditChainOperation = contractOperation({
  method: 'verifyAuditChain',
  name: 'VerifyAuditChain',
  request: VerifyAuditChainRequest,
  response: VerifyAuditChainResponse,
  route: { method: 'GET', path: '/v1/audit/verify' },
  safeToRetry: true, // a read
  aws: false,
});
