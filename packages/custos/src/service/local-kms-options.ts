// What LocalKms.open takes (LocalKmsOptions) and what LocalKms.keyCacheStatus() answers; local-kms.ts re-exports
// both. Types only. Must not import api.
import type { Caller } from '@custos/contract';
import type { StoreOptions } from '../store/index.js';
import type { PreloadStatus } from './cache-preload.js';
import type { Logger, ServiceConfig } from './context.js';
import type { DevModeSettings } from './dev/dev-mode.js';
import type { RootOfTrustSettings, RootTarget } from './local-kms-roots.js';

/** LocalKms.keyCacheStatus(): what the key cache holds, and its preload. */
export interface KeyCacheStatus {
  readonly keys: number;
  /** Estimated heap bytes of the metadata held (the `--key-cache-mb` budget's measure). */
  readonly bytes: number;
  readonly preload: Readonly<PreloadStatus>;
}

export interface LocalKmsOptions {
  /** Directory holding `custos.db` (with a SQLite store) and `root.key`; created (mode 0700) on first use. */
  readonly dataDir: string;
  /**
   * The target of an interrupted MigrateRoot being resumed (api/root-migration.ts): the ring holds its next root key
   * from the start, since the store's carried-forward keys are already wrapped under it.
   */
  readonly migrationTarget?: RootTarget;
  /**
   * The store: `{ kind: 'sqlite' }` (the default, `<dataDir>/custos.db`) or `{ kind: 'postgres', url, schema?,
   * poolSize?, connectionTimeoutMs?, statementTimeoutMs? }` (shared by many nodes). Not with the database* fields.
   * @example await LocalKms.open({ dataDir: './data', store: { kind: 'postgres', url: 'postgres://db/custos' } });
   */
  readonly store?: StoreOptions;
  /**
   * PostgreSQL connection string: the store is PostgreSQL (shared by many nodes) instead of `<dataDir>/custos.db`.
   * @deprecated Use `store: { kind: 'postgres', url }`; this and the other database* fields go in 1.0.
   */
  readonly databaseUrl?: string;
  /** @deprecated Use `store`'s `schema`. With `databaseUrl`: the schema holding Custos's tables. */
  readonly databaseSchema?: string;
  /** @deprecated Use `store`'s `poolSize`. With `databaseUrl`: the connection pool size; default 10. */
  readonly databasePoolSize?: number;
  /** @deprecated Use `store`'s `connectionTimeoutMs`. PostgreSQL: how long to wait for a pooled connection (ms). */
  readonly databaseConnectionTimeoutMs?: number;
  /** @deprecated Use `store`'s `statementTimeoutMs`. PostgreSQL: the longest a statement may run (ms). */
  readonly databaseStatementTimeoutMs?: number;
  /**
   * The root of trust: the root key file (the default: `rootKeyFile`, `passphrase`), or `{ kind: 'pkcs11', module,
   * tokenLabel, pin, keyLabel?, sessions? }`: a non-extractable AES-256 key in an HSM token, generated there on the
   * first start of a new store (needs the optional package pkcs11js). Only the module named here is ever loaded.
   * @example await LocalKms.open({ dataDir, rootOfTrust: { kind: 'pkcs11', module: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'custos', pin } });
   * `{ kind: 'shamir', unsealShares }` opens a root key file sealed by Shamir shares (`custos operator init`) with
   * at least its threshold of them; the file must exist (it is never created here).
   */
  readonly rootOfTrust?: RootOfTrustSettings;
  /**
   * The PKCS#11 module library (absolute path) the custom key stores' tokens are opened on; default the root of
   * trust's module when the root is PKCS#11. The only library they ever load: a client names a token, never a path.
   */
  readonly hsmModule?: string;
  /**
   * A worker process of `custos server --workers N`: joins the SQLite store's lock its primary holds (that holder's
   * id, store/data-dir-lock.ts) instead of taking it. Ignored on PostgreSQL.
   */
  readonly joinDataDirLock?: string;
  /** Seals a new root key file with this passphrase (scrypt), or opens a sealed one. */
  readonly passphrase?: string;
  /** Root key file path; default `<dataDir>/root.key`. */
  readonly rootKeyFile?: string;
  /** The caller of calls that name none; default an administrator. */
  readonly defaultCaller?: Caller;
  readonly config?: Partial<ServiceConfig>;
  /** Clock, for tests of time-based rules. */
  readonly now?: () => Date;
  readonly logger?: Logger;
  /** How often background maintenance runs (ms); 0 turns it off (call `runMaintenance()` yourself). Default 60 s. */
  readonly maintenanceIntervalMs?: number;
  /**
   * Signed audit checkpoints (docs/audit.md): the file they are appended to (default `<dataDir>/audit-checkpoints`;
   * each node of a PostgreSQL cluster keeps its own), and how often (every 1000 records or 60 s, at most 60 s).
   */
  readonly auditCheckpoints?: { readonly file?: string; readonly everyRecords?: number; readonly everyMs?: number };
  /**
   * Open even though the audit log does not match its last checkpoint (truncated, deleted or rewritten): the
   * mismatch is logged and audited (AcceptAuditMismatch), and a new checkpoint is signed. Default: refuse to open.
   */
  readonly acceptAuditMismatch?: boolean;
  /**
   * Development mode (docs/dev-mode.md): the clock AdvanceDevClock moves, key ids and material derived from `seed`,
   * keys and aliases from `seedFile`. A store made with it is marked, and refused without it (and a store made
   * without it is refused with it): DEV_MODE_MISMATCH. Never for production.
   * @example await LocalKms.open({ dataDir: tmp, dev: { seed: 'ci' } });
   */
  readonly dev?: DevModeSettings;
}
