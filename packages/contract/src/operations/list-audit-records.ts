// ListAuditRecords (Custos only): the hash-chained audit log, oldest first, after a sequence number.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { ErrorCodeSchema, KeyIdString, KeyVersion, Limit, literalUnion } from '../schemas/common.js';
import { AUDIT_OUTCOMES } from '../names.js';

/** One audit record. Never carries key material, plaintext or tokens. */
export const AuditRecord = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  time: Type.Date(),
  principal: Type.String(),
  /** The operation name as AWS spells it, e.g. `Encrypt`. */
  operation: Type.String(),
  keyId: Type.Union([Type.String(), Type.Null()]),
  keyVersion: Type.Union([KeyVersion, Type.Null()]),
  outcome: literalUnion(AUDIT_OUTCOMES),
  errorCode: Type.Union([ErrorCodeSchema, Type.Null()]),
  requestId: Type.String(),
});
export type AuditRecord = Static<typeof AuditRecord>;

/** ListAuditRecords request. */
export const ListAuditRecordsRequest = Type.Object(
  {
    /** Return records with seq greater than this. */
    after: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Limit),
    /** Only records of this key (id or ARN). */
    keyId: Type.Optional(KeyIdString),
    /** Only the newest `last` records (still oldest first, no `nextAfter`); not with `after` or `limit`. */
    last: Type.Optional(Limit),
    /**
     * Start following the log: this call is audited as usual and its reply carries `followCursor`. Polls that pass
     * the cursor (same caller, `after` at or past the point the follow started) are not audited one by one: the
     * audited start covers them until the cursor expires (an hour; a poll then is audited and gets a new cursor).
     */
    follow: Type.Optional(Type.Boolean()),
    followCursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  },
  { additionalProperties: false },
);
export type ListAuditRecordsRequest = Static<typeof ListAuditRecordsRequest>;

/** ListAuditRecords response. */
export const ListAuditRecordsResponse = Type.Object({
  records: Type.Array(AuditRecord),
  /** Pass as `after` for the next page; absent on the last. */
  nextAfter: Type.Optional(Type.Integer({ minimum: 0 })),
  /** With `follow`, or a poll whose cursor expired: the cursor for the next polls. */
  followCursor: Type.Optional(Type.String()),
});
export type ListAuditRecordsResponse = Static<typeof ListAuditRecordsResponse>;

/** The ListAuditRecords operation: GET /v1/audit (Custos only). */
export const listAuditRecordsOperation = contractOperation({
  method: 'listAuditRecords',
  name: 'ListAuditRecords',
  request: ListAuditRecordsRequest,
  response: ListAuditRecordsResponse,
  route: { method: 'GET', path: '/v1/audit' },
  safeToRetry: true, // a read
  aws: false,
});
