// RotateRoot and MigrateRoot: makes a new root key, re-wraps every wrapped column under it while the service keeps
// serving, binds the store to it and destroys the old one. Every step is recorded in the store before the next one
// starts and is idempotent, so a re-run after a crash at any point finishes the job (README, "Rotating the root key").
// Must not import api.
import {
  ConflictError,
  InternalError,
  InvalidStateError,
  isKmsError,
  ValidationError,
  type Caller,
} from '@custos/contract';
import type { RootRing } from '../../keystore/root-ring.js';
import { lockInTransaction, type Db } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import { defineInternalOperation } from '../define-operation.js';
import type { KeyService } from '../key-service.js';
import { publishKeyChange } from '../key-change.js';
import { ROOT_KEY_CHECK } from './open-ring.js';
import type { RootPlace } from './root-places.js';
import { readRotation, storeDerivedKeys, writeRotation, type RotationRecord } from './rotation-state.js';
import { WRAPPED_COLUMNS } from './wrapped-columns.js';

/** Rows re-wrapped per listing. */
const BATCH = 100;

/** What GET /v1/sys/rotate-root answers. */
export interface RotationProgress {
  /** `idle`: no rotation ever ran; otherwise the recorded state. */
  readonly state: 'idle' | RotationRecord['state'];
  readonly operation: RotationRecord['operation'] | null;
  /** Whether this node is running it now (a recorded `rewrapping` that is not running waits for a re-run). */
  readonly running: boolean;
  /** Rows to re-wrap, and re-wrapped, by this node's current run (0 when none ran since the start). */
  readonly total: number;
  readonly done: number;
  readonly newKeyCheckValue: string | null;
  /** The last run's failure (code and message), when it failed. */
  readonly error: { readonly code: string; readonly message: string } | null;
}

interface Phase {
  readonly phase: 'start' | 'finish';
  readonly record: RotationRecord;
}

/** The audited steps: RotateRoot / MigrateRoot records at the start and at the finish (check values, never keys). */
const recordPhase = (name: RotationRecord['operation']) =>
  defineInternalOperation(name, { access: 'manage', states: null }, async (ctx, input: Phase & { ring: RootRing }) => {
    await ctx.transaction(async (tx) => {
      await lockInTransaction(tx, 'root-rotation');
      if (input.phase === 'start') await storeDerivedKeys(tx, input.ring);
      else await repo.meta.set(tx, ROOT_KEY_CHECK, input.record.to.keyCheckValue);
      await writeRotation(tx, input.record);
      ctx.audit.details = {
        phase: input.phase,
        from: input.record.from.kind,
        to: input.record.to.kind,
        fromKeyCheckValue: input.record.from.keyCheckValue,
        toKeyCheckValue: input.record.to.keyCheckValue,
      };
    });
  });
const PHASES = { RotateRoot: recordPhase('RotateRoot'), MigrateRoot: recordPhase('MigrateRoot') };

/** A rotation in progress of another operation or to another kind of root must be finished first. */
function refuseConflict(
  record: RotationRecord | undefined,
  operation: RotationRecord['operation'],
  kind: string,
): void {
  if (record === undefined || record.state === 'done') return;
  if (record.operation !== operation || record.to.kind !== kind)
    throw new ConflictError(
      `a ${record.operation} to a ${record.to.kind} root is in progress (state ${record.state}): re-run it to finish it first`,
    );
}

export class RootRotator {
  readonly #service: KeyService;
  readonly #ring: RootRing;
  /** Where this node's current root lives (after a migration, the target's place). */
  #place: RootPlace;
  #running: Promise<void> | undefined;
  #total = 0;
  #done = 0;
  #error: RotationProgress['error'] = null;

  constructor(service: KeyService, ring: RootRing, place: RootPlace) {
    this.#service = service;
    this.#ring = ring;
    this.#place = place;
  }

  get #db(): Db {
    return this.#service.context.store.db;
  }

  async status(): Promise<RotationProgress> {
    const record = await readRotation(this.#db);
    return {
      state: record?.state ?? 'idle',
      operation: record?.operation ?? null,
      running: this.#running !== undefined,
      total: this.#total,
      done: this.#done,
      newKeyCheckValue: record?.to.keyCheckValue ?? null,
      error: this.#error,
    };
  }

  /**
   * Starts or resumes a rotation (to a new root in this node's place) or a migration (to `target`), and resolves
   * when it is done. A run already going on in this process is joined, not started twice.
   */
  async run(caller: Caller, target?: RootPlace): Promise<RotationProgress> {
    this.#running ??= this.#run(caller, target)
      .catch((err: unknown) => {
        this.#error = { code: isKmsError(err) ? err.code : 'INTERNAL', message: (err as Error).message };
        this.#service.context.logger.error({ ...this.#error }, 'root rotation failed; re-run it to resume');
        throw err;
      })
      .finally(() => {
        this.#running = undefined;
      });
    await this.#running;
    return this.status();
  }

  /**
   * Starts or resumes a rotation in the background and answers at once with its progress; a conflicting one in
   * progress (a migration) is refused here, before anything starts. The outcome is in {@link status}.
   */
  async start(caller: Caller): Promise<RotationProgress> {
    refuseConflict(await readRotation(this.#db), 'RotateRoot', this.#place.kind);
    this.run(caller).catch(() => undefined); // recorded in `error`, logged by the caller's server
    return { ...(await this.status()), running: true };
  }

  /** Drops what the current place holds (a Shamir root's unseal key). */
  close(): void {
    this.#place.close?.();
  }

  async #run(caller: Caller, requested: RootPlace | undefined): Promise<void> {
    try {
      await this.#runTo(caller, requested);
    } finally {
      if (requested !== undefined && requested !== this.#place) requested.close?.(); // not adopted: it failed
    }
  }

  async #runTo(caller: Caller, requested: RootPlace | undefined): Promise<void> {
    this.#error = null;
    this.#total = 0;
    this.#done = 0;
    const operation = requested === undefined ? 'RotateRoot' : 'MigrateRoot';
    let record = await readRotation(this.#db);
    const target = requested ?? this.#place;
    if (record !== undefined && record.state !== 'done') {
      refuseConflict(record, operation, target.kind);
    } else {
      if (requested?.kind === this.#place.kind)
        throw new ValidationError(`the root is already a ${requested.kind} root: rotate it instead (RotateRoot)`);
      // HSM-protected keys on the root's own token are used through the root's settings: moving away strands them.
      if (requested !== undefined && this.#place.kind === 'pkcs11' && (await repo.keyVersions.anyOnRootToken(this.#db)))
        throw new InvalidStateError(
          "HSM-protected keys live in the root of trust's token: migrating the root away from it would leave them " +
            'unusable; delete them first (once destroyed they no longer count), or keep the PKCS#11 root',
        );
      record = await this.#begin(caller, operation, target);
    }
    if (record.state === 'rewrapping') {
      await this.#holdNext(target, record.to.keyCheckValue);
      await this.#rewrapAll(record.to.keyCheckValue);
      record = { ...record, state: 'finishing' };
      await this.#service.runInternal(PHASES[operation], { phase: 'finish', record, ring: this.#ring }, caller);
      await this.#ring.promote(); // the old root key leaves this process's memory
    }
    // finishing: make the new root the one later starts open, destroy the old one, record it done.
    await target.promote();
    await (record.from.kind === this.#place.kind ? this.#place : target).destroy(record.from.keyCheckValue);
    if (target !== this.#place) this.#place.close?.(); // a Shamir source's unseal key
    this.#place = target;
    await writeRotation(this.#db, { ...record, state: 'done', finishedAt: this.#service.context.now().toISOString() });
  }

  /** Creates the next root (before any row is touched) and records the rotation with the carried derived keys. */
  async #begin(caller: Caller, operation: RotationRecord['operation'], target: RootPlace): Promise<RotationRecord> {
    const next = await target.createNext();
    await this.#ring.addNext(next);
    const record: RotationRecord = {
      operation,
      state: 'rewrapping',
      from: { kind: this.#place.kind, keyCheckValue: this.#ring.keyCheckValue },
      to: {
        kind: target.kind,
        keyCheckValue: next.keyCheckValue,
        ...(target.pkcs11 !== undefined ? { pkcs11: target.pkcs11 } : {}),
      },
      startedAt: this.#service.context.now().toISOString(),
    };
    await this.#service.runInternal(PHASES[operation], { phase: 'start', record, ring: this.#ring }, caller);
    return record;
  }

  /** The ring holds the next root (a re-run after a restart that could not open it: a migration's token). */
  async #holdNext(target: RootPlace, kcv: string): Promise<void> {
    if (this.#ring.holds(kcv)) return;
    const next = await target.open(kcv);
    if (next === undefined)
      throw new InternalError(
        `the rotation's next root key (check value ${kcv}) is not where the rotation made it: cannot finish`,
      );
    await this.#ring.addNext(next);
  }

  /** Re-wraps every row not yet under the root `kcv`, each one compare-and-set, until none is left. */
  async #rewrapAll(kcv: string): Promise<void> {
    if (this.#ring.writeKeyCheckValue !== kcv)
      throw new InternalError('the root ring does not wrap under the next root');
    for (const column of WRAPPED_COLUMNS) this.#total += await repo.rootRewrap.countPending(this.#db, column, kcv);
    for (const column of WRAPPED_COLUMNS) {
      for (;;) {
        const rows = await repo.rootRewrap.listPending(this.#db, column, kcv, BATCH);
        if (rows.length === 0) break;
        for (const row of rows) {
          const aad = column.aad(row);
          const material = await this.#ring.unwrap(row.wrapped, aad).catch((cause: unknown) => {
            throw new InternalError(
              `${column.table} ${Object.values(row.columns).join('/')} does not unwrap under either root key: the rotation stops here`,
              { cause },
            );
          });
          try {
            const rewrapped = await this.#ring.wrap(material, aad);
            if (await repo.rootRewrap.setRewrapped(this.#db, column, row, rewrapped, kcv)) this.#done++;
          } finally {
            material.wipe();
          }
          if (this.#done > this.#total) this.#total = this.#done; // rows written meanwhile
        }
      }
    }
    // Cached versions hold the old wrapped bytes: drop them here and on the other nodes.
    this.#service.dropKeyCache();
    await publishKeyChange(this.#service.context, null);
  }
}
