// The PKCS#11 root of trust: the root key is a non-extractable AES-256 key generated inside a token (an HSM, or
// SoftHSM2 in tests); every wrap, unwrap and derivation runs inside the token. Must not import store, service or api.
import { randomBytes } from 'node:crypto';
import { InternalError, isKmsError, UnavailableError, ValidationError } from '@custos/contract';
import type * as Pkcs11js from 'pkcs11js';
import { exposeSecret, SecretBytes } from '../../core/secret-bytes.js';
import type { DerivedKeyPurpose, RootOfTrust } from '../root-of-trust.js';
import {
  acquireModule,
  fromPkcs11,
  isUnreachable,
  login,
  logout,
  findSlot,
  releaseModule,
  type LoadedModule,
} from './module.js';
import { SessionPool } from './session-pool.js';

/*
 * The root key: a token object of class CKO_SECRET_KEY, CKK_AES, 32 bytes, made by C_GenerateKey(CKM_AES_KEY_GEN)
 * with CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE true and CKA_EXTRACTABLE, CKA_MODIFIABLE, CKA_WRAP, CKA_UNWRAP,
 * CKA_DERIVE false; CKA_ENCRYPT and CKA_DECRYPT (wrap/unwrap) and CKA_SIGN (CMAC: derivation, check value) true;
 * CKA_LABEL = keyLabel, CKA_ID = 16 random bytes. A key found by label is used only if the token says it was always
 * sensitive and never extractable (CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE): one imported by someone who kept
 * a copy is refused.
 *
 * Two nodes racing to create it on one token: each generates one, then lists every key with the label. A store
 * already bound to a root key names its check value, and that key is chosen; otherwise the key with the smallest
 * CKA_ID is chosen, and a node deletes the key it made if it was not chosen. Should both nodes still choose
 * differently (one listed before the other had created its key), the store's binding settles it: the node whose
 * check value was not recorded first is refused ("a different root key") and, started again, chooses the recorded one.
 *
 * wrap() output, format 2:  0x02 | iv (12) | ciphertext | tag (16), where ciphertext ‖ tag = C_Encrypt(CKM_AES_GCM,
 *   iv, aad = the caller's additional data, 128-bit tag) under the root key, inside the token. The IV is 96 random
 *   bits from node:crypto, passed in CK_GCM_PARAMS (PKCS#11 2.40 takes the IV from the caller; the token makes none),
 *   fresh for every call, so never reused; at one IV per key version wrapped, the 2^32 bound of NIST SP 800-38D §8.3
 *   for random IVs is far away. (CKM_AES_GCM cannot be a C_WrapKey mechanism in SoftHSM 2.6.1: we encrypt.)
 *
 * deriveKey(purpose): NIST SP 800-108r1 §4.1 KDF in counter mode, PRF = AES-256-CMAC under the root key inside the
 *   token (C_Sign(CKM_AES_CMAC)), r = 32, L = 256:
 *     K(i) = CMAC(root, [i]_32 ‖ purpose ‖ 0x00 ‖ "custos root key derivation v1" ‖ [256]_32), i = 1, 2
 *     key  = K(1) ‖ K(2)
 *   The label is the purpose, the context names the scheme. No other use of the root key's CMAC starts with a 32-bit
 *   counter of 1 or 2, so the derivation's inputs never meet the check value's.
 *
 * keyCheckValue = hex(CMAC(root, "custos root key check value"))  (16 bytes, non-secret: a PRF output on a fixed
 *   label; never AES-ECB(0^128), which is GCM's hash key).
 */

/** Where the root key lives: a module library, a token, and the key's label. */
export interface Pkcs11RootOfTrustOptions {
  /** Absolute path of the PKCS#11 module (e.g. `/usr/lib/softhsm/libsofthsm2.so`); from the server's settings only. */
  readonly module: string;
  /** The token's label (its slot id may change: SoftHSM2 reassigns them). */
  readonly tokenLabel: string;
  /** The token's user PIN. Never logged, never in an error. */
  readonly pin: string;
  /** The root key's CKA_LABEL; default `custos-root-key`. */
  readonly keyLabel?: string;
  /** Sessions kept open for concurrent calls (1..64); default 4. */
  readonly sessions?: number;
  /** Generate the root key in the token when none has the label. Default false. */
  readonly create?: boolean;
  /** The check value a store recorded: among several keys with the label, the one to use. */
  readonly expectedKeyCheckValue?: string;
}

const DEFAULT_KEY_LABEL = 'custos-root-key';
const DEFAULT_SESSIONS = 4;
const WRAP_FORMAT_V2 = 0x02;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KCV_LABEL = Buffer.from('custos root key check value');
const KDF_CONTEXT = Buffer.from('custos root key derivation v1');

/** An open connection: the token's slot, a pool of logged-in sessions, and the root key's handle. */
interface Connection {
  readonly module: LoadedModule;
  readonly serial: string;
  readonly pool: SessionPool;
  readonly key: Pkcs11js.Handle;
}

function checkOptions(options: Pkcs11RootOfTrustOptions): void {
  const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
  if (!nonEmpty(options.tokenLabel)) throw new ValidationError('the PKCS#11 token label must be a non-empty string');
  if (!nonEmpty(options.pin)) throw new ValidationError('the PKCS#11 PIN must be a non-empty string');
  if (options.keyLabel !== undefined && !nonEmpty(options.keyLabel))
    throw new ValidationError('the PKCS#11 key label must be a non-empty string');
  const n = options.sessions ?? DEFAULT_SESSIONS;
  if (!Number.isSafeInteger(n) || n < 1 || n > 64) throw new ValidationError('PKCS#11 sessions must be 1..64');
}

/** Every secret AES key object labelled `label`. */
function findKeys(module: LoadedModule, session: Pkcs11js.Handle, label: string): Pkcs11js.Handle[] {
  const { lib, p11 } = module;
  try {
    p11.C_FindObjectsInit(session, [
      { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
      { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
      { type: lib.CKA_LABEL, value: label },
    ]);
    try {
      return p11.C_FindObjects(session, 16);
    } finally {
      p11.C_FindObjectsFinal(session);
    }
  } catch (err) {
    throw fromPkcs11(err, 'C_FindObjects');
  }
}

/** Refuses a key that is not a 256-bit AES key generated in the token and never extractable. */
function checkKeyAttributes(
  module: LoadedModule,
  session: Pkcs11js.Handle,
  key: Pkcs11js.Handle,
  label: string,
): Buffer {
  const { lib, p11 } = module;
  let attrs: Pkcs11js.TemplateResult;
  try {
    attrs = p11.C_GetAttributeValue(session, key, [
      { type: lib.CKA_VALUE_LEN },
      { type: lib.CKA_SENSITIVE },
      { type: lib.CKA_EXTRACTABLE },
      { type: lib.CKA_ALWAYS_SENSITIVE },
      { type: lib.CKA_NEVER_EXTRACTABLE },
      { type: lib.CKA_ID },
    ]);
  } catch (err) {
    throw fromPkcs11(err, 'C_GetAttributeValue');
  }
  const [len, sensitive, extractable, alwaysSensitive, neverExtractable, id] = attrs.map(
    (a: Pkcs11js.Attribute): Buffer | undefined => a.value as Buffer | undefined,
  );
  const flag = (b: Buffer | undefined): boolean => b !== undefined && b.length > 0 && b[0] !== 0;
  if (ulong(len) !== 32 || !flag(sensitive) || flag(extractable) || !flag(alwaysSensitive) || !flag(neverExtractable))
    throw new ValidationError(
      `the PKCS#11 key labelled '${label}' is not a sensitive, never-extractable AES-256 key generated in the token: refusing it as a root key`,
    );
  return id ?? Buffer.alloc(0);
}

async function generateKey(module: LoadedModule, session: Pkcs11js.Handle, label: string): Promise<Pkcs11js.Handle> {
  const { lib, p11 } = module;
  try {
    return await p11.C_GenerateKeyAsync(session, { mechanism: lib.CKM_AES_KEY_GEN }, [
      { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
      { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
      { type: lib.CKA_VALUE_LEN, value: 32 },
      { type: lib.CKA_TOKEN, value: true },
      { type: lib.CKA_PRIVATE, value: true },
      { type: lib.CKA_SENSITIVE, value: true },
      { type: lib.CKA_EXTRACTABLE, value: false },
      { type: lib.CKA_MODIFIABLE, value: false },
      { type: lib.CKA_ENCRYPT, value: true },
      { type: lib.CKA_DECRYPT, value: true },
      { type: lib.CKA_SIGN, value: true },
      { type: lib.CKA_VERIFY, value: false },
      { type: lib.CKA_WRAP, value: false },
      { type: lib.CKA_UNWRAP, value: false },
      { type: lib.CKA_DERIVE, value: false },
      { type: lib.CKA_LABEL, value: label },
      { type: lib.CKA_ID, value: randomBytes(16) },
    ]);
  } catch (err) {
    throw fromPkcs11(err, 'C_GenerateKey');
  }
}

async function cmac(
  module: LoadedModule,
  session: Pkcs11js.Handle,
  key: Pkcs11js.Handle,
  data: Buffer,
): Promise<Buffer> {
  try {
    module.p11.C_SignInit(session, { mechanism: module.lib.CKM_AES_CMAC }, key);
    return Buffer.from(await module.p11.C_SignAsync(session, data, Buffer.alloc(16)));
  } catch (err) {
    throw fromPkcs11(err, 'C_Sign');
  }
}

async function checkValue(module: LoadedModule, session: Pkcs11js.Handle, key: Pkcs11js.Handle): Promise<string> {
  return (await cmac(module, session, key, KCV_LABEL)).toString('hex');
}

/** Finds (or creates) the root key and picks one among duplicates (see the header). */
async function selectKey(
  module: LoadedModule,
  session: Pkcs11js.Handle,
  options: Pkcs11RootOfTrustOptions,
): Promise<{ key: Pkcs11js.Handle; kcv: string }> {
  const label = options.keyLabel ?? DEFAULT_KEY_LABEL;
  let made: Pkcs11js.Handle | undefined;
  let found = findKeys(module, session, label);
  if (found.length === 0) {
    if (!options.create)
      throw new ValidationError(
        `the PKCS#11 token '${options.tokenLabel}' holds no key labelled '${label}': this store's root key is not there`,
      );
    made = await generateKey(module, session, label);
    found = findKeys(module, session, label);
  }
  const candidates = [];
  for (const key of found) {
    const id = checkKeyAttributes(module, session, key, label);
    candidates.push({ key, id, kcv: await checkValue(module, session, key) });
  }
  const chosen =
    candidates.find((c) => c.kcv === options.expectedKeyCheckValue) ??
    candidates.reduce((a, b) => (Buffer.compare(b.id, a.id) < 0 ? b : a));
  if (made !== undefined && !made.equals(chosen.key)) {
    try {
      module.p11.C_DestroyObject(session, made); // ours, never used: another node's key won
    } catch {
      // Left behind it is harmless: a store uses the key whose check value it recorded.
    }
  }
  return { key: chosen.key, kcv: chosen.kcv };
}

/** Opens a connection: slot by label, sessions, login, root key. Everything opened is closed again on failure. */
async function connect(options: Pkcs11RootOfTrustOptions): Promise<{ conn: Connection; kcv: string }> {
  const module = acquireModule(options.module);
  let pool: SessionPool | undefined;
  let serial: string | undefined;
  try {
    const slot = findSlot(module, options.tokenLabel);
    pool = SessionPool.open(module, slot.slot, options.sessions ?? DEFAULT_SESSIONS);
    login(module, pool.first, slot.serial, options.pin);
    serial = slot.serial;
    const { key, kcv } = await selectKey(module, pool.first, options);
    return { conn: { module, serial, pool, key }, kcv };
  } catch (err) {
    pool?.close();
    if (serial !== undefined) logout(module, serial);
    releaseModule(module);
    throw err;
  }
}

function disconnect(conn: Connection): void {
  conn.pool.close();
  logout(conn.module, conn.serial);
  releaseModule(conn.module);
}

/**
 * Opens the PKCS#11 root of trust (creating the root key in the token when `create` and none has the label).
 * Errors, each with a stable code and never the PIN: pkcs11js not installed → UNSUPPORTED (saying what to install);
 * module path not absolute or not loadable, key not found, or found but extractable → VALIDATION_ERROR; no token
 * with the label → NOT_FOUND; PIN refused → UNAUTHENTICATED; token unreachable → UNAVAILABLE.
 * @example const rot = await openPkcs11RootOfTrust({ module: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'custos', pin, create: true });
 */
export async function openPkcs11RootOfTrust(options: Pkcs11RootOfTrustOptions): Promise<RootOfTrust> {
  checkOptions(options);
  const { conn, kcv } = await connect(options);
  return new Pkcs11RootOfTrust(options, conn, kcv);
}

class Pkcs11RootOfTrust implements RootOfTrust {
  readonly keyCheckValue: string;
  readonly #options: Pkcs11RootOfTrustOptions;
  #conn: Connection | undefined;
  #connecting: Promise<Connection> | undefined;
  #closed = false;

  constructor(options: Pkcs11RootOfTrustOptions, conn: Connection, kcv: string) {
    // Only what reconnecting needs; the PIN stays here, in no error and no log.
    this.#options = { ...options, create: false, expectedKeyCheckValue: kcv };
    this.#conn = conn;
    this.keyCheckValue = kcv;
  }

  /** The connection, reconnecting (same token label, same key check value) after the token became unreachable. */
  #connection(): Promise<Connection> {
    if (this.#closed) return Promise.reject(new InternalError('the root of trust is closed'));
    if (this.#conn) return Promise.resolve(this.#conn);
    this.#connecting ??= connect(this.#options)
      .then(({ conn, kcv }) => {
        if (kcv !== this.keyCheckValue) {
          disconnect(conn);
          throw new InternalError('the PKCS#11 root key changed under a running server: refusing to use it');
        }
        this.#conn = conn;
        return conn;
      })
      .catch((err: unknown) => {
        throw err instanceof InternalError
          ? err
          : new UnavailableError(`the PKCS#11 token is unreachable (${isKmsError(err) ? err.code : 'error'}); retry`);
      })
      .finally(() => {
        this.#connecting = undefined;
      });
    return this.#connecting;
  }

  /** Runs `fn` on a session of its own; a token found unreachable drops the connection (the next call reconnects). */
  async #run<T>(call: string, fn: (conn: Connection, session: Pkcs11js.Handle) => Promise<T>): Promise<T> {
    const conn = await this.#connection();
    const session = await conn.pool.acquire();
    try {
      return await fn(conn, session);
    } catch (err) {
      if (isUnreachable(err)) {
        this.#drop(conn); // disconnects once this session and the others in use are released
        throw err instanceof UnavailableError ? err : fromPkcs11(err, call);
      }
      throw err;
    } finally {
      conn.pool.release(session);
    }
  }

  #drop(conn: Connection): void {
    if (this.#conn !== conn) return;
    this.#conn = undefined;
    conn.pool.whenIdle(() => {
      disconnect(conn);
    });
  }

  async wrap(material: SecretBytes, aad: Uint8Array): Promise<Uint8Array> {
    const iv = randomBytes(IV_BYTES);
    const plain = Buffer.from(exposeSecret(material));
    try {
      const sealed = await this.#run('C_Encrypt', async ({ module, key }, session) => {
        const { lib, p11 } = module;
        const out = Buffer.alloc(plain.length + TAG_BYTES);
        try {
          p11.C_EncryptInit(session, gcm(lib, iv, aad), key);
          return Buffer.from(await p11.C_EncryptAsync(session, plain, out));
        } catch (err) {
          throw isUnreachable(err) ? err : fromPkcs11(err, 'C_Encrypt');
        }
      });
      if (sealed.length !== plain.length + TAG_BYTES)
        throw new InternalError('PKCS#11 C_Encrypt returned a bad length');
      const blob = new Uint8Array(1 + IV_BYTES + sealed.length);
      blob[0] = WRAP_FORMAT_V2;
      blob.set(iv, 1);
      blob.set(sealed, 1 + IV_BYTES);
      return blob;
    } finally {
      plain.fill(0);
    }
  }

  async unwrap(wrapped: Uint8Array, aad: Uint8Array): Promise<SecretBytes> {
    if (wrapped.length < 1 + IV_BYTES + TAG_BYTES || wrapped[0] !== WRAP_FORMAT_V2) throw unwrapFailed();
    const iv = Buffer.from(wrapped.subarray(1, 1 + IV_BYTES));
    const sealed = Buffer.from(wrapped.subarray(1 + IV_BYTES));
    return this.#run('C_Decrypt', async ({ module, key }, session) => {
      const { lib, p11 } = module;
      const out = Buffer.alloc(sealed.length);
      try {
        p11.C_DecryptInit(session, gcm(lib, iv, aad), key);
        const plain = await p11.C_DecryptAsync(session, sealed, out);
        const secret = SecretBytes.from(plain);
        return secret;
      } catch (err) {
        if (isUnreachable(err)) throw err;
        throw unwrapFailed(err);
      } finally {
        out.fill(0);
      }
    });
  }

  async deriveKey(purpose: DerivedKeyPurpose): Promise<SecretBytes> {
    const label = Buffer.from(purpose, 'utf8');
    const block = (i: number): Buffer => Buffer.concat([u32(i), label, Buffer.from([0]), KDF_CONTEXT, u32(256)]);
    return this.#run('C_Sign', async ({ module, key }, session) => {
      const k1 = await cmac(module, session, key, block(1));
      const k2 = await cmac(module, session, key, block(2));
      const out = SecretBytes.from(Buffer.concat([k1, k2]));
      k1.fill(0);
      k2.fill(0);
      return out;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#connecting?.catch(() => undefined);
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn)
      await new Promise<void>((resolve) => {
        conn.pool.whenIdle(() => {
          disconnect(conn);
          resolve();
        });
      });
  }
}

function gcm(lib: typeof Pkcs11js, iv: Buffer, aad: Uint8Array): Pkcs11js.Mechanism {
  const parameter: Pkcs11js.AesGCM = {
    type: lib.CK_PARAMS_AES_GCM_v240,
    iv,
    aad: Buffer.from(aad),
    ivBits: IV_BYTES * 8,
    tagBits: TAG_BYTES * 8,
  };
  return { mechanism: lib.CKM_AES_GCM, parameter };
}

/** A CK_ULONG attribute (host byte order, 4 or 8 bytes). */
function ulong(b: Buffer | undefined): number | undefined {
  if (b?.length === 8) return Number(b.readBigUInt64LE());
  return b?.length === 4 ? b.readUInt32LE() : undefined;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** The file root's message: the same failure, whichever root. */
function unwrapFailed(cause?: unknown): InternalError {
  return new InternalError(
    'stored key material failed to unwrap: wrong root key or corrupted record',
    cause === undefined ? undefined : { cause },
  );
}
