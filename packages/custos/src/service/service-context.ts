// What KeyService's operations run with, assembled from the base context: the key cache, the encryption counters and
// the usage recorder (writing through the SQLite audit worker when there is one), the audit writer, the custom key
// stores and the audit keys, derived once. Must not import api.
import { deriveChainKey } from './audit/audit-keys.js';
import { deriveCursorKey } from './audit/follow-cursor.js';
import { AuditWriter } from './audit/group-commit.js';
import { inProcessSink, type AuditSink } from './audit/worker-sink.js';
import { DEFAULT_KEY_CACHE, KeyCache } from './cache.js';
import type { BaseServiceContext, ServiceContext } from './context.js';
import { EncryptionCounters } from './counters.js';
import { KeyStoreRegistry } from './hsm/key-stores.js';
import { UsageRecorder } from './usage/recorder.js';

/**
 * The service context over `base`. `runBatch` runs a Batch call's items (KeyService's); `onAppended` is told how many
 * records each audit commit appended.
 */
export function assembleContext(
  base: BaseServiceContext,
  runBatch: ServiceContext['runBatch'],
  onAppended: (count: number) => void,
): ServiceContext {
  const cache = new KeyCache({
    ...DEFAULT_KEY_CACHE,
    ttlMs: base.config.keyCacheTtlMs,
    budgetBytes: base.config.keyCacheBytes,
  });
  let derived: Promise<Uint8Array> | undefined = base.auditChainKey && Promise.resolve(base.auditChainKey);
  const chainKey = () => (derived ??= deriveChainKey(base.rootOfTrust));
  let cursorKey: Promise<Uint8Array> | undefined;
  const followKey = () => (cursorKey ??= deriveCursorKey(base.rootOfTrust));
  return {
    ...base,
    cache,
    counters: new EncryptionCounters({}, base.auditSink?.reserveCounts?.bind(base.auditSink)),
    usage: new UsageRecorder(
      base.store,
      base.logger,
      base.config.usageFlushIntervalMs,
      base.auditSink?.addUsage?.bind(base.auditSink),
    ),
    auditWriter: new AuditWriter(counted(base.auditSink ?? inProcessSink(base.store, chainKey), onAppended)),
    keyStores: new KeyStoreRegistry(base.hsmModule, base.config.keyCacheTtlMs),
    chainKey,
    followKey,
    receiptKey: followKey,
    runBatch,
  };
}

/** The sink, reporting each committed batch's size to `onAppended`. */
function counted(sink: AuditSink, onAppended: (count: number) => void): AuditSink {
  return {
    commit: async (entries) => {
      const committed = await sink.commit(entries);
      onAppended(entries.length);
      return committed;
    },
    close: () => sink.close(),
    maxInFlight: sink.maxInFlight ?? 1,
    maxBatch: sink.maxBatch ?? 1000,
  };
}
