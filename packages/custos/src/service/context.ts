// What every operation is handed: the store, the root of trust, the clock and the settings,
// plus the per-call caller and audit slot. Must not import api.
import type { KeyObject } from 'node:crypto';
import type { BatchItem, BatchResult, Caller } from '@custos/contract';
import type { GrantView } from './authz/grants-source.js';
import type { RootOfTrust } from '../keystore/root-of-trust.js';
import type { HsmTokens } from './hsm/tokens.js';
import type { Db, Store } from '../store/index.js';
import type { AuditWriter } from './audit/group-commit.js';
import type { AuditSink } from './audit/worker-sink.js';
import type { KeyCache } from './cache.js';
import { defaultBudgetBytes } from './cache-size.js';
import type { KeyStoreRegistry } from './hsm/key-stores.js';
import type { EncryptionCounters } from './counters.js';
import type { UsageRecorder } from './usage/recorder.js';
import type { TokenHasher } from './integrity/keys.js';
import type { RunningOperation } from './lifecycle.js';
import type { DevMode } from './dev/dev-mode.js';

export interface ServiceConfig {
  /** ARN parts: `arn:aws:kms:<region>:<accountId>:key/<id>`. */
  readonly region: string;
  readonly accountId: string;
  /** Smallest pending window ScheduleKeyDeletion accepts (AWS: 7; tests may lower it). */
  readonly minPendingWindowDays: number;
  /** Encryptions per key version before it is rotated automatically (well below GCM's 2^32, SP 800-38D 8.3). */
  readonly maxEncryptionsPerVersion: number;
  /** How long an import token and its wrapping key stay valid. */
  readonly importTokenTtlMs: number;
  /**
   * How long the hot path may serve a key's unwrapped material (or parsed private key) from memory once filled; 0
   * disables the key cache. Key metadata does not expire: the store's change feed keeps it coherent (cache.ts).
   */
  readonly keyCacheTtlMs: number;
  /** The key cache's memory budget for metadata, in bytes (service/cache.ts; `--key-cache-mb`). */
  readonly keyCacheBytes: number;
  /**
   * Whether LocalKms fills the key cache with every key's metadata at start, in the background, up to 90 % of
   * `keyCacheBytes` (service/cache-preload.ts; `--key-cache-preload`). Default true.
   */
  readonly keyCachePreload: boolean;
  /** Whether ImportJwk (the jwk facade's importPrivateKey) may import private keys sent in plaintext. */
  readonly allowPlaintextImport: boolean;
  /**
   * ScheduleKeyDeletion on the native API and the CLI refuses (KEY_RECENTLY_USED) a key used within this many days
   * unless the caller passes `force`; 0 turns the check off. The AWS protocol never checks (AWS's own behaviour).
   */
  readonly deletionRecentUseDays: number;
  /** How often usage counts are flushed to the store (ms): a crash loses at most this long's counts; 0 = only on close. */
  readonly usageFlushIntervalMs: number;
}

export const DEFAULT_CONFIG: ServiceConfig = {
  region: 'us-east-1',
  accountId: '000000000000',
  minPendingWindowDays: 7,
  maxEncryptionsPerVersion: 2 ** 30,
  importTokenTtlMs: 24 * 60 * 60 * 1000,
  keyCacheTtlMs: 5_000,
  keyCacheBytes: defaultBudgetBytes(),
  keyCachePreload: true,
  allowPlaintextImport: true,
  deletionRecentUseDays: 30,
  usageFlushIntervalMs: 1_000,
};

export interface Logger {
  error(details: Record<string, unknown>, message: string): void;
}

/** What LocalKms hands KeyService. */
export interface BaseServiceContext {
  readonly store: Store;
  readonly rootOfTrust: RootOfTrust;
  /** The keyed hash API tokens are stored under (a key derived from the root of trust). */
  readonly tokenHasher: TokenHasher;
  readonly config: ServiceConfig;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Where audit batches are committed; default in-process through `store`. */
  readonly auditSink?: AuditSink;
  /** The audit chain's HMAC key, when the opener has derived it already; else derived on first use. */
  readonly auditChainKey?: Uint8Array;
  /** Where the signed audit checkpoints are, for VerifyAuditChain (LocalKms sets it; absent, none are checked). */
  readonly auditCheckpoints?: { readonly publicKey: KeyObject; readonly file: string };
  /** The PKCS#11 module custom key stores open their tokens on (the server's settings only); none: no key stores. */
  readonly hsmModule?: string;
  /** The PKCS#11 tokens HSM-protected keys live in (service/hsm/tokens.ts); absent, HSM keys are UNSUPPORTED. */
  readonly hsmTokens?: HsmTokens;
  /** Development mode (custos server --dev): its clock is `now`; key ids and material may derive from a seed. */
  readonly dev?: DevMode;
}

/** Plus the per-process state KeyService owns: the key cache, encryption counters and the audit writer. */
export interface ServiceContext extends BaseServiceContext {
  readonly cache: KeyCache;
  readonly counters: EncryptionCounters;
  /** Usage telemetry, counted in memory and flushed in batches (usage/recorder.ts). */
  readonly usage: UsageRecorder;
  readonly auditWriter: AuditWriter;
  /** The custom key stores this node has connected (their tokens). */
  readonly keyStores: KeyStoreRegistry;
  /** The audit chain's HMAC key (`deriveKey('audit-chain')`), derived once. Never logged. */
  readonly chainKey: () => Promise<Uint8Array>;
  /** The key of ListAuditRecords follow cursors (`deriveKey('audit-receipt')`), derived once. Never logged. */
  readonly followKey: () => Promise<Uint8Array>;
  /** The key of audit receipts: the same derived key (its own MAC label, audit/receipts.ts). Never logged. */
  readonly receiptKey: () => Promise<Uint8Array>;
  /**
   * Runs a Batch call's items, each as its own operation for the call's caller, and commits their audit records
   * with the call's own (which it marks written): the results, in order, once all are durable (service/batch.ts).
   */
  readonly runBatch: (ctx: OpContext, items: readonly BatchItem[]) => Promise<BatchResult[]>;
}

/** What an operation reports for its audit record (the wrapper writes it). */
export interface AuditSlot {
  keyId: string | null;
  keyVersion: number | null;
  details: Record<string, unknown> | null;
  /**
   * Set once the 'allowed' record has committed with the change (`OpContext.transaction`), or when an audited call
   * before covers this one (a ListAuditRecords poll under its follow cursor): nothing more is written.
   */
  written: boolean;
  /** The record `OpContext.transaction` committed (for the call's receipt), or null. */
  committed: { readonly seq: number; readonly hash: string; readonly time: number } | null;
}

export interface OpContext extends ServiceContext {
  /** The operation this call runs as: loadKey and the state checks read its rule here, never from a name passed in. */
  readonly operation: RunningOperation;
  readonly caller: Caller;
  readonly requestId: string;
  readonly audit: AuditSlot;
  /**
   * The request as validated (the operation's request type): what key policy conditions and grant constraints read
   * (authz/request-facts.ts). Handlers read their typed `input` parameter instead.
   */
  readonly input: unknown;
  /**
   * How many keys this call has authorised (authz/authorize-key.ts): a key-targeted call that ends with 0 fails,
   * unless it answered without naming any key (`answeredWithoutKey`, e.g. a JWS whose header does not parse).
   */
  readonly authz: {
    keysAuthorized: number;
    withoutKey: boolean;
    /** The grants that allowed the call, when only grants did (not the key policy or roles); else null. */
    viaGrants: readonly GrantView[] | null;
  };
  /**
   * Runs `fn` in one store transaction and appends this call's 'allowed' audit record (keyId, version and details
   * as `audit` holds them when `fn` resolves) in the same transaction: the change and its record commit together
   * or not at all (issue 12). Handlers that change state use this, never `store.transaction` (a lint rule); one
   * per call (a second throws INTERNAL).
   * @example await ctx.transaction(async (tx) => { await repo.keys.update(tx, id, patch); });
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
}
