// ListAuditRecords (Custos): the hash-chained audit log, oldest first, after a sequence number.
// Must not import api.
import {
  listAuditRecordsOperation,
  ValidationError,
  type ListAuditRecordsRequest,
  type ListAuditRecordsResponse,
} from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { FOLLOW_CURSOR_TTL_MS, issueCursor, readCursor } from '../audit/follow-cursor.js';
import type { OpContext } from '../context.js';
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
    const followCursor = await follow(ctx, input);
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
      ...(followCursor !== undefined ? { followCursor } : {}),
    } as ListAuditRecordsResponse;
  },
);

/**
 * Following the log without an audit record per poll (issue 12). A poll under a valid cursor of this caller, reading
 * only past where the follow started, is covered by the audited start: no record. Anything else with `follow` or a
 * cursor (a new follow, an expired cursor, a poll reaching back before the start) is audited as usual and gets a new
 * cursor. Returns the cursor to hand back, if any.
 */
async function follow(ctx: OpContext, input: ListAuditRecordsRequest): Promise<string | undefined> {
  if (input.follow !== true && input.followCursor === undefined) return undefined;
  const key = await ctx.followKey();
  const now = ctx.now().getTime();
  if (input.followCursor !== undefined) {
    const cursor = readCursor(key, input.followCursor);
    if (cursor.principal !== ctx.caller.principal)
      throw new ValidationError('the follow cursor was issued to another caller');
    if (cursor.expiresAt > now && (input.after ?? 0) >= cursor.floor) {
      ctx.audit.written = true; // covered by the audited start of this follow
      return undefined;
    }
  }
  const floor = (await repo.audit.head(ctx.store.db))?.seq ?? 0;
  ctx.audit.details = { ...ctx.audit.details, follow: true, from: floor };
  return issueCursor(key, { principal: ctx.caller.principal, floor, expiresAt: now + FOLLOW_CURSOR_TTL_MS });
}
