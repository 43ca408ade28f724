// KeyService: the one wrapper every operation runs through — authorise, validate, run, audit, convert errors
// (as Cosmian's dispatcher does). Operations never write audit records themselves. Must not import api.
import { randomUUID } from 'node:crypto';
import {
  InternalError,
  KmsError,
  UnavailableError,
  type AuditOutcome,
  type BatchItem,
  type BatchResult,
  type Caller,
  type ContractOperation,
} from '@custos/contract';
import type { Static } from '@sinclair/typebox';
import { appendBatch } from './audit/audit-log.js';
import { runBatchItems, type ItemExecutor } from './batch.js';
import { issueReceipt } from './audit/receipts.js';
import { assembleContext } from './service-context.js';
import { CachePreload } from './cache-preload.js';
import type { AuditSlot, BaseServiceContext, OpContext, ServiceContext } from './context.js';
import { authorise, namedKeyId } from './call-checks.js';
import { integrityFailureOf, logIntegrityFailure } from './integrity/failure.js';
import type { InternalOperation, Runnable, ServiceOperation } from './define-operation.js';
import { ACCESS_KEEPS_KEYS } from './lifecycle.js';
import { publishKeyChange } from './key-change.js';
import { StoreHealth } from './store-health.js';
import * as repo from '../store/repositories/index.js';
import { CREDENTIALS_CHANGED, isUnavailable, type AuditEntry, type Db } from '../store/index.js';

export class KeyService {
  readonly context: ServiceContext;
  /** Whether the store takes writes (GET /readyz): every call failing as UNAVAILABLE reports here. */
  readonly storeHealth = new StoreHealth();
  readonly #unsubscribe: () => void;
  /** The key cache's preload (cache-preload.ts): LocalKms starts it; close stops it. */
  readonly preload: CachePreload;
  /** Told how many audit records each commit appended (the checkpointer counts them). */
  onAuditAppended: (count: number) => void = () => undefined;

  constructor(base: BaseServiceContext) {
    this.context = assembleContext(
      base,
      (ctx, items) => this.#runBatch(ctx, items),
      (count) => {
        this.onAuditAppended(count);
      },
    );
    this.preload = new CachePreload(this.context);
    // The change feed (every committed change, whoever made it): the key, or everything when it may have missed some.
    this.#unsubscribe = base.store.onKeyChange((keyId) => {
      this.#forget(keyId);
    });
  }

  /** What a change drops from the key cache: its key, everything (null), or nothing (CREDENTIALS_CHANGED). */
  #forget(keyId: string | null): void {
    if (keyId === null) this.dropKeyCache();
    else if (keyId !== CREDENTIALS_CHANGED) this.context.cache.invalidateKey(keyId);
  }

  /** Empties the key cache, and preloads it again when the preload is on (a change to every key, or any). */
  dropKeyCache(): void {
    this.context.cache.clear();
    this.preload.restart();
  }

  /** Stops the preload, flushes the usage counts and counters, closes key stores, drains the audit: before the store. */
  async close(): Promise<void> {
    await this.preload.stop();
    this.#unsubscribe();
    await this.context.usage.close();
    // Provisional counter blocks become durable reservations (service/counters.ts) before the store closes.
    await this.context.counters.close().catch((error: unknown) => {
      this.context.logger.error({ err: error }, 'encryption counters could not be flushed');
    });
    await this.context.keyStores.close();
    await this.context.auditWriter.close();
  }

  /** Runs a Kms operation for `caller`, its input checked against the row's request schema first. */
  run<Row extends ContractOperation>(
    operation: ServiceOperation<Row>,
    input: unknown,
    caller: Caller,
  ): Promise<Static<Row['response']>> {
    return this.#execute(operation, input, caller);
  }

  /** Runs an internal operation (jobs, first start, metrics) with the input the server made for it. */
  runInternal<In, Out>(operation: InternalOperation<In, Out>, input: In, caller: Caller): Promise<Out> {
    return this.#execute(operation, input, caller);
  }

  /**
   * The only way into the service layer: authorise, validate, handle, audit, convert errors. With `collect` (a
   * batch item), the call's record goes to `collect` instead of the audit writer: the batch commits it.
   */
  async #execute<In, Out>(
    operation: Runnable<In, Out>,
    input: unknown,
    caller: Caller,
    collect?: (entry: AuditEntry) => void,
  ): Promise<Out> {
    const requestId = caller.requestId ?? randomUUID();
    const audit: AuditSlot = { keyId: null, keyVersion: null, details: null, written: false, committed: null };
    // The service context as prototype, not copied: an object spread with extra fields costs microseconds per call.
    const ctx = Object.create(this.context) as { -readonly [K in keyof OpContext]: OpContext[K] };
    ctx.operation = operation;
    ctx.caller = caller;
    ctx.requestId = requestId;
    ctx.audit = audit;
    ctx.transaction = (fn) => this.#auditedTransaction(ctx, fn);
    ctx.input = input;
    ctx.authz = { keysAuthorized: 0, withoutKey: false, viaGrants: null };
    let result: Out;
    try {
      authorise(operation, caller);
      operation.validate(input);
      result = await this.#handle(ctx, operation, input);
      // The safety net: a key-targeted call that never authorised its key is a bug, never a success.
      if (operation.states !== null && ctx.authz.keysAuthorized === 0 && !ctx.authz.withoutKey)
        throw new InternalError(`${operation.name} finished without authorising its key`);
      // A change committed its record with it (ctx.transaction); everything else goes through group commit.
      if (collect) {
        if (!audit.written) collect(auditEntry(ctx, 'allowed', null));
      } else if (caller.onReceipt) {
        if (!audit.written) audit.committed = await this.#writeAllowed(ctx);
      } else if (!audit.written) await this.writeAudit(ctx, 'allowed', null);
    } catch (error) {
      const failure = integrityFailureOf(error);
      if (failure !== undefined) {
        logIntegrityFailure(this.context, failure, { requestId, operation: operation.name });
        audit.details = { ...audit.details, integrityFailure: failure };
      }
      const kmsError = this.toKmsError(error, operation.name, requestId);
      if (kmsError.code === 'ACCESS_DENIED' && audit.keyId === null)
        audit.keyId = namedKeyId(input, this.context.config);
      const outcome = kmsError.code === 'ACCESS_DENIED' ? 'denied' : 'failed';
      if (collect) {
        collect(auditEntry(ctx, outcome, kmsError.code));
        throw kmsError;
      }
      try {
        await this.writeAudit(ctx, outcome, kmsError.code);
      } catch (auditError) {
        // Thrown or rejected alike: the caller gets the operation's own error, the log gets the audit's.
        this.context.logger.error({ err: auditError, requestId, operation: operation.name }, 'audit write failed');
      }
      throw kmsError;
    }
    // Outside the try: the record is committed, so the call has succeeded whatever the callback does.
    if (caller.onReceipt && audit.committed) {
      const { seq, hash, time } = audit.committed;
      const statement = { seq, hash, requestId, operation: operation.name, keyId: audit.keyId, time };
      caller.onReceipt(issueReceipt(await ctx.receiptKey(), statement));
    }
    return result;
  }

  /**
   * ServiceContext.runBatch: the items, each through #execute as its own operation, then their records and the batch
   * call's own committed in one audit transaction; the call's record is then written (and its receipt covers all).
   */
  async #runBatch(ctx: OpContext, items: readonly BatchItem[]): Promise<BatchResult[]> {
    const execute: ItemExecutor = (operation, input, caller, collect) =>
      this.#execute(operation, input, caller, collect);
    const { results, entries } = await runBatchItems(execute, items, ctx.caller);
    const failed = results.reduce((n, result) => (result.error ? n + 1 : n), 0);
    ctx.audit.details = { ...ctx.audit.details, items: items.length, failed };
    const own = auditEntry(ctx, 'allowed', null);
    const queued = ctx.auditWriter.enqueueTogether([own, ...entries]);
    const batch = await queued.committed;
    const hash = batch.hashes[queued.index];
    if (hash === undefined) throw new InternalError('the audit batch has no hash for a record it committed');
    ctx.audit.written = true;
    ctx.audit.committed = { seq: batch.firstSeq + queued.index, hash, time: own.time.getTime() };
    return results;
  }

  /** The call's 'allowed' record through group commit, and where it went (for its receipt). */
  async #writeAllowed(ctx: OpContext): Promise<NonNullable<AuditSlot['committed']>> {
    const entry = auditEntry(ctx, 'allowed', null);
    const queued = ctx.auditWriter.enqueue(entry);
    const batch = await queued.committed;
    const hash = batch.hashes[queued.index];
    if (hash === undefined) throw new InternalError('the audit batch has no hash for a record it committed');
    return { seq: batch.firstSeq + queued.index, hash, time: entry.time.getTime() };
  }

  /**
   * OpContext.transaction: `fn`, then this call's 'allowed' record, in one transaction. An audit insert that fails
   * rolls the change back, and the caller gets the error (INTERNAL or UNAVAILABLE).
   */
  async #auditedTransaction<T>(ctx: OpContext, fn: (tx: Db) => Promise<T>): Promise<T> {
    if (ctx.audit.written) throw new InternalError(`${ctx.operation.name} committed its change twice`);
    const key = await ctx.chainKey();
    let committed: AuditSlot['committed'] = null;
    const result = await ctx.store.transaction(async (tx) => {
      const value = await fn(tx);
      await noteKeyRow(ctx, tx);
      const entry = auditEntry(ctx, 'allowed', null);
      const batch = await appendBatch(tx, [entry], key);
      committed = { seq: batch.firstSeq, hash: batch.hashes[0] ?? '', time: entry.time.getTime() };
      return value;
    });
    ctx.audit.written = true;
    ctx.audit.committed = committed;
    this.onAuditAppended(1);
    return result;
  }

  /** Runs the handler; an operation that may change a key drops it from the cache whatever the outcome. */
  async #handle<In, Out>(ctx: OpContext, operation: Runnable<In, Out>, input: In): Promise<Out> {
    if (ACCESS_KEEPS_KEYS[operation.access]) return operation.handler(ctx, input);
    try {
      return await operation.handler(ctx, input);
    } finally {
      // A token operation changes no key: one that committed a change (every write goes through ctx.transaction)
      // tells the token and access-key caches alone (CREDENTIALS_CHANGED), a read (ListTokens) tells nobody.
      const tokens = operation.access === 'tokens';
      const changed = tokens ? CREDENTIALS_CHANGED : (ctx.audit.keyId ?? null);
      if (!tokens || ctx.audit.written) {
        this.#forget(changed);
        await publishKeyChange(ctx, changed); // after the handler's commit: the other nodes drop it too
      }
    }
  }

  /**
   * The error a caller sees for `error`: a KmsError as it is; a store that cannot be reached (or is full) as
   * UNAVAILABLE; anything else INTERNAL, logged with the request id. Also for service-level calls outside an
   * operation (the AWS replay guard).
   */
  toKmsError(error: unknown, operation: string, requestId: string): KmsError {
    if (error instanceof KmsError) return error;
    // Logged by #execute, with the row: the caller learns nothing about it.
    if (integrityFailureOf(error) !== undefined) return new InternalError(`internal error (request ${requestId})`);
    if (isUnavailable(error)) {
      this.storeHealth.noteUnavailable(error);
      this.context.logger.error({ err: error, requestId, operation }, 'store unavailable');
      return new UnavailableError(`the key store is unavailable; retry later (request ${requestId})`);
    }
    this.context.logger.error({ err: error, requestId, operation }, 'internal error');
    return new InternalError(`internal error (request ${requestId})`);
  }

  private writeAudit(ctx: OpContext, outcome: AuditOutcome, errorCode: string | null): Promise<unknown> {
    return ctx.auditWriter.append(auditEntry(ctx, outcome, errorCode));
  }
}

/** This call's audit record, as its slot holds it now. */
function auditEntry(ctx: OpContext, outcome: AuditOutcome, errorCode: string | null): AuditEntry {
  return {
    time: ctx.now(),
    principal: ctx.caller.principal,
    operation: ctx.operation.name,
    keyId: ctx.audit.keyId,
    keyVersion: ctx.audit.keyVersion,
    outcome,
    errorCode,
    requestId: ctx.requestId,
    details: ctx.audit.details,
  };
}

/**
 * The key row's `updated_at` as this change commits it, in the change's audit record (`details.keyRowAt`), so that
 * a key row put back from an earlier moment shows as older than the log says it is (integrity/freshness.ts).
 */
async function noteKeyRow(ctx: OpContext, tx: Db): Promise<void> {
  if (ctx.audit.keyId === null) return;
  const key = await repo.keys.get(tx, ctx.audit.keyId);
  if (key) ctx.audit.details = { ...ctx.audit.details, keyRowAt: key.updatedAt.getTime() };
}
