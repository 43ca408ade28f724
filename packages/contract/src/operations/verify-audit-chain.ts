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
