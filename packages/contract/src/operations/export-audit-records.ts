// ExportAuditRecords (Custos only): one page of the audit log exactly as stored (every field the chain covers, with
// prevHash, hash and scheme) and the signed checkpoints of its records, up to the record a prune with the same date
// would keep as its anchor. Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Limit } from '../schemas/common.js';

/** One record as stored: what the chain's hash covers, so that it can be verified without the server. */
export const ExportedAuditRecord = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  /** Unix ms, as stored (the chain hashes its ISO 8601 form). */
  time: Type.Integer(),
  principal: Type.String(),
  operation: Type.String(),
  keyId: Type.Union([Type.String(), Type.Null()]),
  keyVersion: Type.Union([Type.Integer(), Type.Null()]),
  outcome: Type.String(),
  errorCode: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.String(),
  /** The details as stored: canonical JSON text, or null. */
  details: Type.Union([Type.String(), Type.Null()]),
  prevHash: Type.String(),
  hash: Type.String(),
  /** 1: SHA-256 (records before issue 12); 2: HMAC-SHA-256 under the root-derived `audit-chain` key. */
  chain: Type.Integer({ minimum: 1, maximum: 2 }),
});
export type ExportedAuditRecord = Static<typeof ExportedAuditRecord>;

/** A signed checkpoint: Ed25519 over `custos/audit-checkpoint/v1\n<seq>\n<hash>\n<time>` (GetAuditPublicKey). */
export const AuditCheckpoint = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  hash: Type.String(),
  /** Unix ms. */
  time: Type.Integer(),
  /** Base64. */
  signature: Type.String(),
});
export type AuditCheckpoint = Static<typeof AuditCheckpoint>;

/** ExportAuditRecords request. */
export const ExportAuditRecordsRequest = Type.Object(
  {
    /**
     * The export ends at the newest record older than this that a signed checkpoint names: the record
     * PruneAuditRecords with the same date keeps as its anchor (so everything exported is covered by a checkpoint).
     */
    before: Type.Date(),
    /** Records with seq greater than this (the previous page's `nextAfter`). */
    after: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Limit),
    /** The previous page's `through`, so that every page ends at the same record (the export cannot grow). */
    through: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type ExportAuditRecordsRequest = Static<typeof ExportAuditRecordsRequest>;

/** ExportAuditRecords response. */
export const ExportAuditRecordsResponse = Type.Object({
  /** In seq order. The first page starts at the log's first record: genesis, or a prune's anchor. */
  records: Type.Array(ExportedAuditRecord),
  /** The signed checkpoints whose records are in this page. */
  checkpoints: Type.Array(AuditCheckpoint),
  /** The last record of the whole export (absent when no checkpoint is older than the date: nothing to export). */
  through: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Pass as `after` (with `through`) for the next page; absent on the last. */
  nextAfter: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type ExportAuditRecordsResponse = Static<typeof ExportAuditRecordsResponse>;

/** The ExportAuditRecords operation: POST /v1/audit/export (Custos only). */
export const exportAuditRecordsOperation = contractOperation({
  method: 'exportAuditRecords',
  name: 'ExportAuditRecords',
  request: ExportAuditRecordsRequest,
  response: ExportAuditRecordsResponse,
  route: { method: 'POST', path: '/v1/audit/export' },
  safeToRetry: true, // a read
  aws: false,
});
