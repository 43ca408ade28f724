// Background maintenance: destroy keys past their pending window, destroy key versions past a trim's window, rotate keys whose period has passed,
// remove imported material past its expiry, renew keyring keys past expiry − preExpireDays, drop expired import tokens
// and the key caches' changes older than an hour (SQLite). Each key is handled through the
// same audited operations as a caller's request. Must not import api.
import * as repo from '../../store/repositories/index.js';
import type { KeyService } from '../key-service.js';
import { SYSTEM_CALLER } from '../lifecycle.js';
import { autoRotateKey } from '../operations/auto-rotate-key.js';
import type { InternalOperation } from '../define-operation.js';
import { destroyKey, type JobKeyInput } from '../operations/destroy-key.js';
import { destroyTrimmedVersions } from '../operations/destroy-trimmed-versions.js';
import { expireKeyMaterial } from '../operations/expire-key-material.js';
import { dueKeyrings, renewKeyringKey } from '../keyrings/renew.js';

/** How long the key caches' change feed keeps a change (SQLite): far longer than any process goes between polls. */
const KEY_CHANGES_KEPT_SECONDS = 3600;

export interface MaintenanceReport {
  destroyed: number;
  /** Keys whose versions below the trim floor were destroyed (TrimKeyVersions' pending window ended). */
  trimmed: number;
  rotated: number;
  expired: number;
  /** Keyrings whose next key was generated (their key was past expiry − preExpireDays). */
  renewed: number;
  failed: number;
  /** True when another node (sharing the PostgreSQL database) was running maintenance, so this run did nothing. */
  skipped?: boolean;
}

/**
 * Runs maintenance once across the cluster: on PostgreSQL only one node at a time (a session advisory lock; a node
 * that does not get it skips the run). The jobs also lock each key's row and re-check it is due, so even two runs
 * would not act on a key twice.
 */
export async function runMaintenance(service: KeyService): Promise<MaintenanceReport> {
  const outcome = await service.context.store.tryExclusive('maintenance', () => maintain(service));
  return outcome.ran
    ? outcome.value
    : { destroyed: 0, trimmed: 0, rotated: 0, expired: 0, renewed: 0, failed: 0, skipped: true };
}

async function maintain(service: KeyService): Promise<MaintenanceReport> {
  const { store, now, logger } = service.context;
  const at = now();
  const report: MaintenanceReport = { destroyed: 0, trimmed: 0, rotated: 0, expired: 0, renewed: 0, failed: 0 };
  type Job = InternalOperation<JobKeyInput, unknown>;
  const jobs: [keyof Omit<MaintenanceReport, 'failed' | 'renewed'>, Job, { id: string }[]][] = [
    ['destroyed', destroyKey, await repo.keys.listDueForDeletion(store.db, at)],
    ['trimmed', destroyTrimmedVersions, await repo.keys.listDueForTrim(store.db, at)],
    ['rotated', autoRotateKey, await repo.keys.listDueForRotation(store.db, at)],
    ['expired', expireKeyMaterial, await repo.keys.listExpiredMaterial(store.db, at)],
  ];
  for (const [counter, operation, keys] of jobs) {
    for (const key of keys) {
      try {
        await service.runInternal(operation, { keyId: key.id }, SYSTEM_CALLER);
        report[counter]++;
      } catch (err) {
        report.failed++;
        logger.error({ err, operation: operation.name, keyId: key.id }, 'maintenance job failed');
      }
    }
  }
  // Keyring keys past expiry − preExpireDays (MOSIP's renewal), parents first.
  for (const ring of await dueKeyrings(service.context)) {
    try {
      await service.runInternal(renewKeyringKey, ring, SYSTEM_CALLER);
      report.renewed++;
    } catch (err) {
      report.failed++;
      logger.error({ err, operation: renewKeyringKey.name, ...ring }, 'maintenance job failed');
    }
  }
  await repo.importTokens.removeExpired(store.db, at);
  await repo.keyChanges.prune(store.db, KEY_CHANGES_KEPT_SECONDS);
  return report;
}
