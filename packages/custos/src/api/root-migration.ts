// MigrateRoot on a stopped data directory or cluster (`custos operator migrate-root`): the CLI names the new root on
// the command line of the machine that runs it, so no request ever names a module library for a server to load.
// Must not be imported by service, store, keystore or core.
import { join } from 'node:path';
import { ConflictError, ValidationError } from '@custos/contract';
import { LOCAL_ADMIN, LocalKms, type LocalKmsOptions, type RootTarget } from '../service/local-kms.js';
import type { RotationProgress } from '../service/root/rotator.js';
import { createShamirMigrationTarget, refuseShamirMigrationLeftover } from '../service/shamir.js';

export type { RootTarget, RotationProgress };

/**
 * A new Shamir root: its root key file is made (root.key.next) under a new unseal key once the store is open, and
 * `onShares` is told its shares before any row is re-wrapped, so they are not lost if the process dies later. A run
 * interrupted after that is resumed with those shares (a RootTarget of kind shamir).
 */
export interface NewShamirTarget {
  readonly kind: 'shamir';
  readonly shares: number;
  readonly threshold: number;
  readonly rootKeyFile?: string;
  readonly onShares: (created: { readonly unsealShares: string[]; readonly threshold: number }) => void;
}

export interface MigrateRootOptions {
  readonly dataDir: string;
  readonly store?: LocalKmsOptions['store'] | undefined;
  /** The current root, as the server is started. */
  readonly rootOfTrust?: LocalKmsOptions['rootOfTrust'] | undefined;
  readonly passphrase?: string | undefined;
  readonly rootKeyFile?: string | undefined;
  /** The new root. Its PIN or passphrase is never logged, stored or audited. */
  readonly target: RootTarget | NewShamirTarget;
  /** Told the progress every `everyMs` (default 250 ms) while rows are re-wrapped. */
  readonly onProgress?: (progress: RotationProgress) => void;
  readonly everyMs?: number;
}

/**
 * Opens the data directory with its current root (a running server holding it is refused), moves it to `target`
 * (or finishes an interrupted migration), closes it, and returns the final progress.
 * @example await migrateRootOffline({ dataDir, target: { kind: 'pkcs11', module, tokenLabel, pin } });
 */
export async function migrateRootOffline(options: MigrateRootOptions): Promise<RotationProgress> {
  const { target, onProgress, everyMs, rootOfTrust, passphrase, rootKeyFile, store, dataDir } = options;
  if ('onShares' in target) await refuseShamirMigrationLeftover(target.rootKeyFile ?? join(dataDir, 'root.key'));
  const kms = await LocalKms.open({
    dataDir,
    ...(store !== undefined && { store }),
    ...(rootOfTrust !== undefined && { rootOfTrust }),
    ...(passphrase !== undefined && { passphrase }),
    ...(rootKeyFile !== undefined && { rootKeyFile }),
    ...(!('onShares' in target) && { migrationTarget: target }),
    maintenanceIntervalMs: 0,
  });
  try {
    const run = kms.migrateRoot(await prepare(target, kms, dataDir), LOCAL_ADMIN);
    const timer = setInterval(() => {
      void kms
        .rootRotationStatus(LOCAL_ADMIN)
        .then((p) => onProgress?.(p))
        .catch(() => undefined);
    }, everyMs ?? 250);
    try {
      return await run;
    } finally {
      clearInterval(timer);
    }
  } finally {
    await kms.close();
  }
}

/** The target as the service takes it: a new Shamir root is made here, and its shares handed over, first. */
async function prepare(target: RootTarget | NewShamirTarget, kms: LocalKms, dataDir: string): Promise<RootTarget> {
  if (!('onShares' in target)) return target;
  const { shares, threshold, rootKeyFile, onShares } = target;
  const path = rootKeyFile ?? join(dataDir, 'root.key');
  if (kms.rootOfTrustKind === 'shamir')
    throw new ValidationError('the root is already a shamir root: rotate it instead (custos operator rotate-root)');
  const { state, operation } = await kms.rootRotationStatus(LOCAL_ADMIN);
  if (state === 'rewrapping' || state === 'finishing')
    throw new ConflictError(
      `a ${String(operation)} is in progress (state ${state}): finish it first; to resume a migration to shamir, ` +
        'give the shares it printed (--shamir-share-file <file>)',
    );
  const { unsealShares } = await createShamirMigrationTarget(path, { shares, threshold });
  onShares({ unsealShares, threshold });
  return { kind: 'shamir', unsealShares, ...(rootKeyFile !== undefined && { rootKeyFile }) };
}
