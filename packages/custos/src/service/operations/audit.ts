// ListAuditRecords and VerifyAuditChain (Custos): reading the hash-chained audit log.
import type {
  ListAuditRecordsRequest,
  ListAuditRecordsResponse,
  VerifyAuditChainRequest,
  VerifyAuditChainResponse,
} from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { verifyChain } from '../audit/audit-log.js';
import type { OpContext } from '../context.js';
import { findKey } from '../keys.js';

export async function listAuditRecords(
  ctx: OpContext,
  input: ListAuditRecordsRequest,
): Promise<ListAuditRecordsResponse> {
  const limit = input.limit ?? 100;
  const keyId = input.keyId ? (await findKey(ctx, ctx.store.db, input.keyId)).id : undefined;
  const records = await repo.audit.list(ctx.store.db, {
    limit: limit + 1,
    ...(input.after !== undefined ? { after: input.after } : {}),
    ...(keyId ? { keyId } : {}),
  });
  const page = records.slice(0, limit);
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
    ...(records.length > limit ? { nextAfter: page[page.length - 1]!.seq } : {}),
  } as ListAuditRecordsResponse;
}

export async function verifyAuditChain(
  ctx: OpContext,
  _input: VerifyAuditChainRequest,
): Promise<VerifyAuditChainResponse> {
  return (await verifyChain(ctx.store.db)) as VerifyAuditChainResponse;
}
