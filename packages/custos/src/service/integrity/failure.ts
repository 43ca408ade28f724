// What happens when a stored row fails its MAC: the call answers INTERNAL (nothing about the row reaches the
// caller), the log names the row, and the audit log records that an integrity failure happened. Must not import api.
import { randomUUID } from 'node:crypto';
import { InternalError } from '@custos/contract';
import { RowIntegrityError } from '../../store/index.js';
import type { ServiceContext } from '../context.js';

/** The table and row of a RowIntegrityError (looked for through `cause`), for the log and the audit record. */
export interface IntegrityFailure {
  readonly table: string;
  readonly row: string;
}

export function integrityFailureOf(error: unknown): IntegrityFailure | undefined {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof RowIntegrityError) return { table: e.table, row: e.rowId };
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Logs the failed row (error level: it means the database was written without the root of trust). */
export function logIntegrityFailure(
  context: ServiceContext,
  failure: IntegrityFailure,
  details: Record<string, unknown>,
): void {
  context.logger.error(
    { ...details, integrityFailure: failure },
    'row integrity check failed: refusing to use the row',
  );
}

/**
 * For authentication, which runs outside an operation: runs `lookup`; a row that fails its check is logged,
 * audited (operation `operation`, outcome failed, code INTERNAL) and answered with INTERNAL.
 */
export async function guardIntegrity<T>(
  context: ServiceContext,
  operation: string,
  lookup: () => Promise<T>,
): Promise<T> {
  try {
    return await lookup();
  } catch (error) {
    const failure = integrityFailureOf(error);
    if (failure === undefined) throw error;
    const requestId = await recordIntegrityFailure(context, operation, failure, 'custos:unauthenticated');
    throw new InternalError(`internal error (request ${requestId})`);
  }
}

/**
 * Logs and audits (operation `operation`, outcome failed, code INTERNAL, as `principal`) a row that failed its check
 * outside any caller's operation; a failed audit write is logged. Resolves with the request id both name.
 */
export async function recordIntegrityFailure(
  context: ServiceContext,
  operation: string,
  failure: IntegrityFailure,
  principal: string,
): Promise<string> {
  const requestId = randomUUID();
  logIntegrityFailure(context, failure, { requestId, operation });
  await context.auditWriter
    .append({
      time: context.now(),
      principal,
      operation,
      keyId: null,
      keyVersion: null,
      outcome: 'failed',
      errorCode: 'INTERNAL',
      requestId,
      details: { integrityFailure: failure },
    })
    .catch((auditError: unknown) => {
      context.logger.error({ err: auditError, requestId, operation }, 'audit write failed');
    });
  return requestId;
}
