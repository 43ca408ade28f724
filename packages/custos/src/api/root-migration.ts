// MigrateRoot on a stopped data directory or cluster (`custos operator migrate-root`): the CLI names the new root on
// the command line of the machine that runs it, so no request ever names a module library for a server to load.
// Must not be imported by service, store, keystore or core.
import { LOCAL_ADMIN, LocalKms, type LocalKmsOptions, type RootTarget } from '../service/local-kms.js';
import type { RotationProgress } from '../service/root/rotator.js';

export type { RootTarget, RotationProgress };

export interface MigrateRootOptions {
  readonly dataDir: string;
  readonly store?: LocalKmsOptions['store'] | undefined;
  /** The current root, as the server is started. */
  readonly rootOfTrust?: LocalKmsOptions['rootOfTrust'] | undefined;
  readonly passphrase?: string | undefined;
  readonly rootKeyFile?: string | undefined;
  /** The new root. Its PIN or passphrase is never logged, stored or audited. */
  readonly target: RootTarget;
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
  const kms = await LocalKms.open({
    dataDir,
    ...(store !== undefined && { store }),
    ...(rootOfTrust !== undefined && { rootOfTrust }),
    ...(passphrase !== undefined && { passphrase }),
    ...(rootKeyFile !== undefined && { rootKeyFile }),
    maintenanceIntervalMs: 0,
  });
  try {
    const run = kms.migrateRoot(target, LOCAL_ADMIN);
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
