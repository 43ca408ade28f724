// VerifyAuditChain (Custos only): recomputes the audit hash chain; `brokenAt` is the first seq that does not match;
// checks the audit receipts it is given.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';

/** Most receipts one VerifyAuditChain checks (they travel in the query string). */
export const MAX_RECEIPTS_PER_VERIFY = 20;

/** VerifyAuditChain request: optionally, audit receipts (`x-custos-receipt` values) to check against the log. */
export const VerifyAuditChainRequest = Type.Object(
  {
    receipts: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: MAX_RECEIPTS_PER_VERIFY }),
    ),
  },
  { additionalProperties: false },
);
export type VerifyAuditChainRequest = Static<typeof VerifyAuditChainRequest>;

/**
 * What one receipt proved: `valid` (its record is in the log, as the receipt says), `invalid` (not a receipt this
 * server issued: malformed, altered, or under another root key), `missing` (authentic, but its record is gone and
 * no verified prune explains it: the log was truncated or records deleted), `mismatch` (authentic, but the record
 * at its seq says something else: the log was rewritten), `pruned` (its record was removed by a verified prune).
 */
export const ReceiptStatus = Type.Union([
  Type.Literal('valid'),
  Type.Literal('invalid'),
  Type.Literal('missing'),
  Type.Literal('mismatch'),
  Type.Literal('pruned'),
]);
export type ReceiptStatus = Static<typeof ReceiptStatus>;

/** One receipt's result, in the order the receipts were given; what it says, when it is authentic. */
export const ReceiptCheck = Type.Object({
  status: ReceiptStatus,
  seq: Type.Optional(Type.Integer({ minimum: 0 })),
  requestId: Type.Optional(Type.String()),
  operation: Type.Optional(Type.String()),
});
export type ReceiptCheck = Static<typeof ReceiptCheck>;

/**
 * VerifyAuditChain response. `ok` is false, and `brokenAt` names the record, when the chain or the checkpoints do
 * not verify, or when a given receipt proves a record missing or rewritten.
 */
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
  receipts: Type.Optional(Type.Array(ReceiptCheck)),
});
export type VerifyAuditChainResponse = Static<typeof VerifyAuditChainResponse>;

/** The VerifyAuditChain operation: GET /v1/audit/verify[?receipts=r1.…&receipts=…] (Custos only). */
export const verifyAuditChainOperation = contractOperation({
  method: 'verifyAuditChain',
  name: 'VerifyAuditChain',
  request: VerifyAuditChainRequest,
  response: VerifyAuditChainResponse,
  route: { method: 'GET', path: '/v1/audit/verify' },
  safeToRetry: true, // a read
  aws: false,
});
