// ListAuditRecords (Custos): the hash-chained audit log, oldest first, after a sequence number.
// Must not import api.
import { listAuditRecordsOperation, ValidationError, type ListAuditRecordsResponse } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { findKey } from '../key-loading.js';

export const listAuditRecords = defineOperation(
  listAuditRecordsOperation,
  { access: 'audit', states: null },
  async (ctx, input) => {
    if (input.last !== undefined && (input.after !== undefined || input.limit !== undefined))
      throw new ValidationError('last cannot be combined with after or limit');
    const keyId = input.keyId ? (await findKey(ctx, ctx.store.db, input.keyId)).id : undefined;
    ctx.audit.details = input.last !== undefined ? { last: input.last } : null;
    const limit = input.last ?? input.limit ?? 100;
    const records = await repo.audit.list(ctx.store.db, {
      // The newest page has nothing after it: no extra record to look for.
      limit: input.last ?? limit + 1,
      newest: input.last !== undefined,
      ...(input.after !== undefined ? { after: input.after } : {}),
      ...(keyId ? { keyId } : {}),
    });
    const page = records.slice(0, limit);
    // One record more than the page means there is more: the page's last record is where the next one starts.
    const last = records.length > limit ? page.at(-1) : undefined;
    return {
      records: page.map((r) => ({
        seq: r.seq,
        time: r.time,
        principal: r.principal,
        operation: r.operation,
        keyId: r.keyId,
        keyVersion: r.keyVersion,
        outcome: r.outcome,
        errorCode: r.errorCode,
        requestId: r.requestId,
      })),
      ...(last ? { nextAfter: last.seq } : {}),
    } as ListAuditRecordsResponse;
  },
);
