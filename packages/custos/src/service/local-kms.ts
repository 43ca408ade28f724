// LocalKms: the Kms interface in-process — a data directory (SQLite store + root key file) and the KeyService.
// Must not import api.
import { mkdir, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { InternalError, ValidationError, type Caller, type Kms } from '@custos/contract';
import { openFileRootOfTrust } from '../keystore/file/index.js';
import type { RootOfTrust } from '../keystore/root-of-trust.js';
import { openSqliteStore, type Store } from '../store/index.js';
import * as repo from '../store/repositories/index.js';
import { DEFAULT_CONFIG, type Logger, type ServiceConfig } from './context.js';
import { runMaintenance, type MaintenanceReport } from './jobs/maintenance.js';
import { KeyService } from './key-service.js';
import type { OperationName } from './lifecycle.js';

export interface LocalKmsOptions {
  /** Directory holding `custos.db` and `root.key`; created (mode 0700) on first use. */
  readonly dataDir: string;
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
}

/** The embedded administrator. */
export const LOCAL_ADMIN: Caller = { principal: 'local:admin', roles: ['admin'] };

const ROOT_KEY_CHECK = 'root_key_check_value';

const consoleLogger: Logger = {
  error: (details, message) => console.error(`custos: ${message}`, details),
};

/**
 * The Kms interface in-process.
 *
 * @example
 * const kms = await LocalKms.open({ dataDir: './data' });
 * const { keyMetadata } = await kms.createKey({ description: 'orders' });
 * const { ciphertextBlob } = await kms.encrypt({ keyId: keyMetadata.keyId, plaintext: new TextEncoder().encode('hi') });
 * await kms.close();
 */
export class LocalKms implements Kms {
  readonly #service: KeyService;
  readonly #defaultCaller: Caller;
  readonly #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(service: KeyService, defaultCaller: Caller, intervalMs: number) {
    this.#service = service;
    this.#defaultCaller = defaultCaller;
    if (intervalMs > 0) {
      this.#timer = setInterval(() => void this.runMaintenance().catch(() => undefined), intervalMs);
      this.#timer.unref();
    }
  }

  /** Opens (creating on first use) a data directory. */
  static async open(options: LocalKmsOptions): Promise<LocalKms> {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const rootOfTrust = await openFileRootOfTrust({
      path: options.rootKeyFile ?? join(options.dataDir, 'root.key'),
      create: true,
      ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
    });
    let store: Store | undefined;
    try {
      store = await openSqliteStore(join(options.dataDir, 'custos.db'));
      await bindRootOfTrust(store, rootOfTrust);
    } catch (error) {
      await store?.close();
      await rootOfTrust.close();
      throw error;
    }
    const service = new KeyService({
      store,
      rootOfTrust,
      config: { ...DEFAULT_CONFIG, ...options.config },
      now: options.now ?? (() => new Date()),
      logger: options.logger ?? consoleLogger,
    });
    return new LocalKms(service, options.defaultCaller ?? LOCAL_ADMIN, options.maintenanceIntervalMs ?? 60_000);
  }

  /** Runs background maintenance once (deletions, automatic rotations, expiries) and reports what it did. */
  runMaintenance(): Promise<MaintenanceReport> {
    return runMaintenance(this.#service);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#service.context.store.close();
    await this.#service.context.rootOfTrust.close();
  }

  #run<R>(operation: OperationName, input: unknown, caller: Caller | undefined): Promise<R> {
    if (this.#closed) return Promise.reject(new InternalError('this LocalKms is closed'));
    return this.#service.run<R>(operation, input ?? {}, caller ?? this.#defaultCaller);
  }

  createKey: Kms['createKey'] = (input, caller) => this.#run('CreateKey', input, caller);
  describeKey: Kms['describeKey'] = (input, caller) => this.#run('DescribeKey', input, caller);
  listKeys: Kms['listKeys'] = (input, caller) => this.#run('ListKeys', input, caller);
  updateKeyDescription: Kms['updateKeyDescription'] = (input, caller) => this.#run('UpdateKeyDescription', input, caller);
  enableKey: Kms['enableKey'] = (input, caller) => this.#run('EnableKey', input, caller);
  disableKey: Kms['disableKey'] = (input, caller) => this.#run('DisableKey', input, caller);
  scheduleKeyDeletion: Kms['scheduleKeyDeletion'] = (input, caller) => this.#run('ScheduleKeyDeletion', input, caller);
  cancelKeyDeletion: Kms['cancelKeyDeletion'] = (input, caller) => this.#run('CancelKeyDeletion', input, caller);
  createAlias: Kms['createAlias'] = (input, caller) => this.#run('CreateAlias', input, caller);
  updateAlias: Kms['updateAlias'] = (input, caller) => this.#run('UpdateAlias', input, caller);
  deleteAlias: Kms['deleteAlias'] = (input, caller) => this.#run('DeleteAlias', input, caller);
  listAliases: Kms['listAliases'] = (input, caller) => this.#run('ListAliases', input, caller);
  tagResource: Kms['tagResource'] = (input, caller) => this.#run('TagResource', input, caller);
  untagResource: Kms['untagResource'] = (input, caller) => this.#run('UntagResource', input, caller);
  listResourceTags: Kms['listResourceTags'] = (input, caller) => this.#run('ListResourceTags', input, caller);
  encrypt: Kms['encrypt'] = (input, caller) => this.#run('Encrypt', input, caller);
  decrypt: Kms['decrypt'] = (input, caller) => this.#run('Decrypt', input, caller);
  reEncrypt: Kms['reEncrypt'] = (input, caller) => this.#run('ReEncrypt', input, caller);
  generateDataKey: Kms['generateDataKey'] = (input, caller) => this.#run('GenerateDataKey', input, caller);
  generateDataKeyWithoutPlaintext: Kms['generateDataKeyWithoutPlaintext'] = (input, caller) =>
    this.#run('GenerateDataKeyWithoutPlaintext', input, caller);
  generateDataKeyPair: Kms['generateDataKeyPair'] = (input, caller) => this.#run('GenerateDataKeyPair', input, caller);
  generateDataKeyPairWithoutPlaintext: Kms['generateDataKeyPairWithoutPlaintext'] = (input, caller) =>
    this.#run('GenerateDataKeyPairWithoutPlaintext', input, caller);
  generateRandom: Kms['generateRandom'] = (input, caller) => this.#run('GenerateRandom', input, caller);
  sign: Kms['sign'] = (input, caller) => this.#run('Sign', input, caller);
  verify: Kms['verify'] = (input, caller) => this.#run('Verify', input, caller);
  getPublicKey: Kms['getPublicKey'] = (input, caller) => this.#run('GetPublicKey', input, caller);
  generateMac: Kms['generateMac'] = (input, caller) => this.#run('GenerateMac', input, caller);
  verifyMac: Kms['verifyMac'] = (input, caller) => this.#run('VerifyMac', input, caller);
  deriveSharedSecret: Kms['deriveSharedSecret'] = (input, caller) => this.#run('DeriveSharedSecret', input, caller);
  deriveKey: Kms['deriveKey'] = (input, caller) => this.#run('DeriveKey', input, caller);
  enableKeyRotation: Kms['enableKeyRotation'] = (input, caller) => this.#run('EnableKeyRotation', input, caller);
  disableKeyRotation: Kms['disableKeyRotation'] = (input, caller) => this.#run('DisableKeyRotation', input, caller);
  getKeyRotationStatus: Kms['getKeyRotationStatus'] = (input, caller) => this.#run('GetKeyRotationStatus', input, caller);
  rotateKeyOnDemand: Kms['rotateKeyOnDemand'] = (input, caller) => this.#run('RotateKeyOnDemand', input, caller);
  listKeyRotations: Kms['listKeyRotations'] = (input, caller) => this.#run('ListKeyRotations', input, caller);
  getParametersForImport: Kms['getParametersForImport'] = (input, caller) => this.#run('GetParametersForImport', input, caller);
  importKeyMaterial: Kms['importKeyMaterial'] = (input, caller) => this.#run('ImportKeyMaterial', input, caller);
  deleteImportedKeyMaterial: Kms['deleteImportedKeyMaterial'] = (input, caller) => this.#run('DeleteImportedKeyMaterial', input, caller);
  getKeyPolicy: Kms['getKeyPolicy'] = (input, caller) => this.#run('GetKeyPolicy', input, caller);
  putKeyPolicy: Kms['putKeyPolicy'] = (input, caller) => this.#run('PutKeyPolicy', input, caller);
  exportKey: Kms['exportKey'] = (input, caller) => this.#run('ExportKey', input, caller);
  updateKeyConstraints: Kms['updateKeyConstraints'] = (input, caller) => this.#run('UpdateKeyConstraints', input, caller);
  listAuditRecords: Kms['listAuditRecords'] = (input, caller) => this.#run('ListAuditRecords', input, caller);
  verifyAuditChain: Kms['verifyAuditChain'] = (input, caller) => this.#run('VerifyAuditChain', input, caller);
}

/**
 * A store belongs to one root key: the first open records the root key's check value, and a later open with a
 * different root key is refused before anything is written (DESIGN: no node ever writes under a wrong root).
 */
async function bindRootOfTrust(store: Store, rootOfTrust: RootOfTrust): Promise<void> {
  await store.transaction(async (tx) => {
    const recorded = await repo.meta.get(tx, ROOT_KEY_CHECK);
    if (recorded === undefined) await repo.meta.set(tx, ROOT_KEY_CHECK, rootOfTrust.keyCheckValue);
    else if (recorded !== rootOfTrust.keyCheckValue) {
      throw new ValidationError('this data directory was initialised with a different root key; refusing to open it');
    }
  });
}
