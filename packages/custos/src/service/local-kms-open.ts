// Opening what a LocalKms is made of (LocalKms.open): first the store, bound to its root of trust; then the KeyService
// on it, with its audit keys, the first-start jobs and the audit checkpointer. Each step closes what it opened when
// it fails. Must not import api.
import { join } from 'node:path';
import { InternalError } from '@custos/contract';
import type { RootRing } from '../keystore/root-ring.js';
import { migrateToLatest, openStore, sqliteFile, type Store, type StoreOptions } from '../store/index.js';
import * as repo from '../store/repositories/index.js';
import { deriveChainKey } from './audit/audit-keys.js';
import {
  Checkpointer,
  checkCheckpoints,
  DEFAULT_CHECKPOINT_EVERY_RECORDS,
  deriveSigningKey,
  MAX_CHECKPOINT_INTERVAL_MS,
} from './audit/checkpoints.js';
import { workerSink, workerSinkAvailable } from './audit/worker-sink.js';
import { DEFAULT_CONFIG, type Logger } from './context.js';
import { checkDevMarker, DevMode, markDevStore } from './dev/dev-mode.js';
import type { SeedFile } from './dev/seed-file.js';
import { seedDevKeys } from './dev/seed-keys.js';
import { establishRowIntegrity, rowIntegrityEstablished } from './integrity/establish.js';
import { loadIntegrityKeys, type TokenHasher } from './integrity/keys.js';
import { KeyService } from './key-service.js';
import { keyringPoliciesSeeded, seedKeyringPolicies } from './keyrings/seed-policies.js';
import { SYSTEM_CALLER } from './lifecycle.js';
import type { LocalKmsOptions } from './local-kms-options.js';
import { bindRootOfTrust, hsmModuleOf, hsmTokensOf, refuseOtherRootOfTrust, targetPlace } from './local-kms-roots.js';
import { acceptAuditMismatch } from './operations/accept-audit-mismatch.js';
import { SERVICE_OPERATIONS } from './operations/index.js';
import { openRootRing } from './root/open-ring.js';
import { loadDerivedKeys } from './root/rotation-state.js';
import type { RootPlace } from './root/root-places.js';
import { RootRotator } from './root/rotator.js';

const consoleLogger: Logger = {
  error: (details, message) => {
    console.error(`custos: ${message}`, details);
  },
};

/** A store migrated and bound to its root of trust, with what the root derives for it. */
export interface BoundStore {
  readonly store: Store;
  readonly rootOfTrust: RootRing;
  readonly place: RootPlace;
  readonly tokenHasher: TokenHasher;
  readonly dev: DevMode | undefined;
}

/** Opens the store and its root ring, migrates it and binds it to the root key; closes both when a step fails. */
export async function openBoundStore(options: LocalKmsOptions, selected: StoreOptions): Promise<BoundStore> {
  let store: Store | undefined;
  let rootOfTrust: RootRing | undefined;
  try {
    // Not migrated on open: a store bound to another root key is refused before anything is written. Locked: a
    // SQLite store another process (a running server) holds is refused, naming it (store/data-dir-lock.ts).
    const lock = options.joinDataDirLock === undefined ? true : { join: options.joinDataDirLock };
    store = await openStore(selected, { dataDir: options.dataDir, migrate: false, lock });
    // Development and production stores never open in the other mode (DEV_MODE_MISMATCH), checked first.
    const { fresh } = await checkDevMarker(store.db, options.dev !== undefined);
    // A store already bound to a root key never gets a new root key made for it: a missing file is an error.
    // With a root rotation under way, both root keys (README, "Rotating the root key").
    const target = options.migrationTarget && (await targetPlace(options.migrationTarget, options.dataDir));
    const opened = await openRootRing(options, store, target);
    rootOfTrust = opened.ring;
    await refuseOtherRootOfTrust(store, rootOfTrust);
    await migrateToLatest(store.db, store.dialect);
    if (fresh && options.dev) await markDevStore(store.db); // before the store is bound: a crash cannot skip it
    await bindRootOfTrust(store, rootOfTrust);
    const dev = options.dev ? await DevMode.load(store.db, options.dev) : undefined;
    // After a first rotation: the keys derived from the first root, carried forward (they never change).
    await loadDerivedKeys(store.db, rootOfTrust);
    const tokenHasher = await loadIntegrityKeys(rootOfTrust, store);
    return { store, rootOfTrust, place: opened.place, tokenHasher, dev };
  } catch (error) {
    await store?.close();
    await rootOfTrust?.close();
    throw error;
  }
}

/** The service on a bound store, its audit checkpointer and its root rotator. */
export interface AssembledService {
  readonly service: KeyService;
  readonly checkpointer: Checkpointer;
  readonly rotator: RootRotator;
}

/**
 * The KeyService on `bound`: the audit log checked against its last checkpoints before anything is written, the
 * first-start jobs run (audited), the seed file applied. Closes the service, tokens, store and root when a step fails.
 */
export async function assembleService(
  options: LocalKmsOptions,
  selected: StoreOptions,
  bound: BoundStore,
  seedFile: SeedFile | undefined,
): Promise<AssembledService> {
  const { store, rootOfTrust, dev } = bound;
  let service: KeyService | undefined;
  try {
    const auditChainKey = await deriveChainKey(rootOfTrust);
    const signing = await deriveSigningKey(rootOfTrust);
    const checkpointFile = options.auditCheckpoints?.file ?? join(options.dataDir, 'audit-checkpoints');
    // Before anything is written: the log must still hold what the last checkpoints signed.
    const check = await checkCheckpoints(store.db, auditChainKey, signing.publicKey, checkpointFile);
    if (!check.ok && options.acceptAuditMismatch !== true) {
      throw new InternalError(
        `the audit log does not match its last checkpoint (${check.where}, record ${String(check.seq)}): ` +
          `${check.reason}; refusing to open. To open anyway (audited), pass acceptAuditMismatch ` +
          '(custos server --audit-accept-mismatch); see docs/audit.md',
      );
    }
    // SQLite from the compiled package: durable audit commits on a worker thread (see audit/worker-sink.ts).
    const auditFile = sqliteFile(selected, options.dataDir);
    const auditSink =
      auditFile !== undefined && workerSinkAvailable() ? await workerSink(auditFile, auditChainKey) : undefined;
    service = new KeyService({
      store,
      rootOfTrust,
      hsmTokens: hsmTokensOf(options),
      tokenHasher: bound.tokenHasher,
      auditChainKey,
      auditCheckpoints: { publicKey: signing.publicKey, file: checkpointFile },
      ...(auditSink ? { auditSink } : {}),
      config: { ...DEFAULT_CONFIG, ...options.config },
      ...hsmModuleOf(options),
      now: options.now ?? dev?.now ?? (() => new Date()),
      ...(dev ? { dev } : {}),
      logger: options.logger ?? consoleLogger,
    });
    // The first start after migration 005: authenticate the rows that are there (once, audited).
    if (!(await rowIntegrityEstablished(store.db))) await service.runInternal(establishRowIntegrity, {}, SYSTEM_CALLER);
    // The first start after migration 012: MOSIP's default keyring policies (once, audited).
    if (!(await keyringPoliciesSeeded(store.db))) await service.runInternal(seedKeyringPolicies, {}, SYSTEM_CALLER);
    if (seedFile) await seedDevStore(service, seedFile);
    const checkpointer = new Checkpointer(
      store,
      signing.privateKey,
      {
        file: checkpointFile,
        everyRecords: options.auditCheckpoints?.everyRecords ?? DEFAULT_CHECKPOINT_EVERY_RECORDS,
        everyMs: options.auditCheckpoints?.everyMs ?? MAX_CHECKPOINT_INTERVAL_MS,
      },
      service.context.now,
      service.context.logger,
      // On the audit worker's connection with its next batch: no durable commit on the event loop.
      auditSink?.insertCheckpoint?.bind(auditSink),
    );
    if (!check.ok) {
      service.context.logger.error({ ...check }, 'audit log does not match its last checkpoint; opened anyway');
      await service.runInternal(acceptAuditMismatch, check, SYSTEM_CALLER);
      await checkpointer.checkpoint(); // the new anchor
    }
    return { service, checkpointer, rotator: new RootRotator(service, rootOfTrust, bound.place) };
  } catch (error) {
    await service?.close();
    await service?.context.hsmTokens?.close();
    await store.close();
    await rootOfTrust.close();
    throw error;
  }
}

/** The seed file's keys (one audited SeedDevKeys), then its aliases (CreateAlias each; those already there stay). */
async function seedDevStore(service: KeyService, seed: SeedFile): Promise<void> {
  await service.runInternal(seedDevKeys, { keys: seed.keys }, SYSTEM_CALLER);
  for (const alias of seed.aliases) {
    const existing = await repo.aliases.get(service.context.store.db, alias.aliasName);
    if (existing === undefined) await service.run(SERVICE_OPERATIONS.createAlias, alias, SYSTEM_CALLER);
  }
}
