// The PKCS#11 module of the process: pkcs11js loaded lazily (an optional dependency that compiles on install), each
// module library loaded and C_Initialize'd once per process, and PKCS#11 return values mapped onto Custos's errors.
// Must not import store, service or api.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';
import {
  AuthenticationError,
  InternalError,
  NotFoundError,
  UnavailableError,
  UnsupportedError,
  ValidationError,
  type KmsError,
} from '@custos/contract';
import type * as Pkcs11js from 'pkcs11js';

/** The pkcs11js module (its constants and its PKCS11 class). */
export type Pkcs11Lib = typeof Pkcs11js;

/** What the PKCS#11 root needs installed; said whenever the module is missing. */
const PKCS11JS_HINT =
  'the PKCS#11 root of trust needs the optional package pkcs11js, which is not installed (it compiles on install: ' +
  'install g++, make and python3, then run `npm install pkcs11js` where Custos is installed)';

/**
 * Loads pkcs11js on first use only (createRequire: it is CommonJS, and nobody on the file root ever loads it).
 * `name` is for tests of the missing-package path. UNSUPPORTED with {@link PKCS11JS_HINT} when it is absent or was
 * installed without its compiled binding.
 */
export function loadPkcs11js(name = 'pkcs11js'): Pkcs11Lib {
  try {
    return createRequire(import.meta.url)(name) as Pkcs11Lib;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_DLOPEN_FAILED') throw new UnsupportedError(PKCS11JS_HINT);
    throw new InternalError('pkcs11js failed to load', { cause });
  }
}

/** One loaded module library, shared by every root of trust of this process that names the same path. */
export interface LoadedModule {
  readonly lib: Pkcs11Lib;
  readonly p11: Pkcs11js.PKCS11;
  readonly path: string;
  /** The digest of the PIN this process logged in with, per token serial (PKCS#11 logins are per application). */
  readonly logins: Map<string, { pin: Buffer; users: number }>;
  refs: number;
}

const MODULES = new Map<string, LoadedModule>();

/**
 * The module library at `path`, loaded and initialised once per process (C_Initialize with CKF_OS_LOCKING_OK, so the
 * library may be called from libuv's threads). Only paths from the server's own settings reach here; a path must be
 * absolute, so that the dynamic loader never searches for it. Release with {@link releaseModule}.
 */
export function acquireModule(path: string, name?: string): LoadedModule {
  if (typeof path !== 'string' || !isAbsolute(path))
    throw new ValidationError(`the PKCS#11 module must be an absolute path to a .so file, got '${path}'`);
  const known = MODULES.get(path);
  if (known) {
    known.refs++;
    return known;
  }
  const lib = loadPkcs11js(name);
  const p11 = new lib.PKCS11();
  try {
    p11.load(path);
  } catch (cause) {
    throw new ValidationError(
      `cannot load the PKCS#11 module ${path}: ${(cause as Error).message.split('\n')[0] ?? 'load failed'}`,
      'VALIDATION_ERROR',
      { cause },
    );
  }
  try {
    p11.C_Initialize({ flags: lib.CKF_OS_LOCKING_OK });
  } catch (cause) {
    if (ckrName(cause) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      p11.close();
      throw new ValidationError(
        `the PKCS#11 module ${path} failed to initialise (${ckrName(cause)})`,
        'VALIDATION_ERROR',
        {
          cause,
        },
      );
    }
  }
  const loaded: LoadedModule = { lib, p11, path, logins: new Map(), refs: 1 };
  MODULES.set(path, loaded);
  return loaded;
}

/** Drops one reference; the last one finalises and unloads the library. */
export function releaseModule(module: LoadedModule): void {
  if (--module.refs > 0) return;
  MODULES.delete(module.path);
  try {
    module.p11.C_Finalize();
  } catch {
    // Finalising a library whose token vanished can fail; nothing is left to release but the handle.
  }
  module.p11.close();
}

/**
 * Logs in as the token's user once per process. PKCS#11 keeps one login per application and token, so a second root
 * on the same token finds it logged in: it must then present the same PIN (compared by digest, in constant time).
 */
export function login(module: LoadedModule, session: Pkcs11js.Handle, serial: string, pin: string): void {
  const digest = createHash('sha256').update(pin, 'utf8').digest();
  const known = module.logins.get(serial);
  if (known) {
    if (!timingSafeEqual(known.pin, digest)) throw wrongPin();
    known.users++;
    return;
  }
  try {
    module.p11.C_Login(session, module.lib.CKU_USER, pin);
  } catch (cause) {
    if (ckrName(cause) !== 'CKR_USER_ALREADY_LOGGED_IN') throw fromPkcs11(cause, 'C_Login');
  }
  module.logins.set(serial, { pin: digest, users: 1 });
}

/** The token's sessions are closing: forget the login when its last user leaves (the library logs out then). */
export function logout(module: LoadedModule, serial: string): void {
  const known = module.logins.get(serial);
  if (known && --known.users === 0) module.logins.delete(serial);
}

function wrongPin(): KmsError {
  return new AuthenticationError('the PKCS#11 token refused the PIN (CKR_PIN_INCORRECT)');
}

/** The CKR_ name of a pkcs11js error, or 'NATIVE_ERROR'. pkcs11js's messages carry no arguments (no PIN). */
function ckrName(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  return /^CKR_[A-Z0-9_]+/.exec(message)?.[0] ?? 'NATIVE_ERROR';
}

/** Return values that mean the token (or its session) is gone or not answering: retryable, UNAVAILABLE. */
const UNREACHABLE = new Set([
  'CKR_DEVICE_ERROR',
  'CKR_DEVICE_MEMORY',
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_TOKEN_NOT_RECOGNIZED',
  'CKR_SESSION_CLOSED',
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_COUNT',
  'CKR_CRYPTOKI_NOT_INITIALIZED',
  'CKR_OBJECT_HANDLE_INVALID',
  'CKR_KEY_HANDLE_INVALID',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_SLOT_ID_INVALID',
]);

/** True when `err` says the token is unreachable (the root then reconnects before the next call). */
export function isUnreachable(err: unknown): boolean {
  return err instanceof UnavailableError || UNREACHABLE.has(ckrName(err));
}

/**
 * A PKCS#11 failure as a domain error with a stable code: the PIN refused or locked → UNAUTHENTICATED; the token
 * unreachable → UNAVAILABLE (retryable); anything else → INTERNAL. The message names the call and the CKR_ value,
 * never an argument.
 */
export function fromPkcs11(err: unknown, call: string): KmsError {
  const name = ckrName(err);
  if (name === 'CKR_PIN_INCORRECT') return wrongPin();
  if (name === 'CKR_PIN_LOCKED' || name === 'CKR_PIN_EXPIRED' || name === 'CKR_PIN_LEN_RANGE')
    return new AuthenticationError(`the PKCS#11 token refused the login (${name})`);
  if (UNREACHABLE.has(name))
    return new UnavailableError(`the PKCS#11 token is unreachable (${call}: ${name}); retry`, { cause: err });
  return new InternalError(`PKCS#11 ${call} failed (${name})`, { cause: err });
}

/** The token with this label is not in any slot of the module. */
function tokenNotFound(path: string, label: string): KmsError {
  return new NotFoundError(`no PKCS#11 token labelled '${label}' in ${path}`);
}

/** The slot holding the token labelled `label` (found by label: slot ids are not stable). */
export function findSlot(module: LoadedModule, label: string): { slot: Pkcs11js.Handle; serial: string } {
  let slots: Pkcs11js.Handle[];
  try {
    slots = module.p11.C_GetSlotList(true);
  } catch (err) {
    throw fromPkcs11(err, 'C_GetSlotList');
  }
  const matches = slots.flatMap((slot) => {
    try {
      const info = module.p11.C_GetTokenInfo(slot);
      return info.label.trimEnd() === label ? [{ slot, serial: info.serialNumber.trimEnd() }] : [];
    } catch {
      return []; // a slot whose token went away between the two calls
    }
  });
  const [match, ...others] = matches;
  if (match === undefined) throw tokenNotFound(module.path, label);
  if (others.length > 0)
    throw new ValidationError(`${matches.length} PKCS#11 tokens are labelled '${label}' in ${module.path}: rename one`);
  return match;
}
