// A connected, logged-in PKCS#11 token for keys that live in it (HSM-protected keys, custom key stores): a pool of
// sessions used through pkcs11js's asynchronous calls, so the event loop never waits on the token, and a cache of
// key object handles by CKA_ID. A token found unreachable is dropped and reconnected on the next call.
// Must not import store, service or api.
import { isKmsError, UnavailableError, ValidationError, type KmsError } from '@custos/contract';
import type * as Pkcs11js from 'pkcs11js';
import {
  acquireModule,
  findSlot,
  fromPkcs11,
  isUnreachable,
  login,
  logout,
  releaseModule,
  type LoadedModule,
  type Pkcs11Lib,
} from './module.js';
import { SessionPool } from './session-pool.js';

/** Which token to open. Only module paths from the server's own settings may reach here. */
export interface Pkcs11TokenOptions {
  /** Absolute path of the PKCS#11 module (e.g. `/usr/lib/softhsm/libsofthsm2.so`). */
  readonly module: string;
  /** The token's label (found by label: slot ids may change). */
  readonly tokenLabel: string;
  /** The token's user PIN. Never logged, never in an error. */
  readonly pin: string;
  /** Sessions kept open for concurrent calls (1..64); default 4. */
  readonly sessions?: number;
}

/** What a call on the token gets: pkcs11js, the library, and a session of its own for the call's duration. */
export interface TokenCall {
  readonly lib: Pkcs11Lib;
  readonly p11: Pkcs11js.PKCS11;
  readonly session: Pkcs11js.Handle;
}

const DEFAULT_SESSIONS = 4;

interface Connection {
  readonly module: LoadedModule;
  readonly serial: string;
  readonly slot: Pkcs11js.Handle;
  readonly pool: SessionPool;
  /** Key object handles by hex CKA_ID; handles are per connection, so the cache goes with it. */
  readonly handles: Map<string, Pkcs11js.Handle>;
}

function checkOptions(options: Pkcs11TokenOptions): void {
  const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
  if (!nonEmpty(options.tokenLabel)) throw new ValidationError('the PKCS#11 token label must be a non-empty string');
  if (!nonEmpty(options.pin)) throw new ValidationError('the PKCS#11 PIN must be a non-empty string');
  const n = options.sessions ?? DEFAULT_SESSIONS;
  if (!Number.isSafeInteger(n) || n < 1 || n > 64) throw new ValidationError('PKCS#11 sessions must be 1..64');
}

/** Slot by label, sessions, login; everything opened is closed again on failure. */
function connect(options: Pkcs11TokenOptions): Connection {
  const module = acquireModule(options.module);
  let pool: SessionPool | undefined;
  try {
    const slot = findSlot(module, options.tokenLabel);
    pool = SessionPool.open(module, slot.slot, options.sessions ?? DEFAULT_SESSIONS);
    login(module, pool.first, slot.serial, options.pin);
    return { module, serial: slot.serial, slot: slot.slot, pool, handles: new Map() };
  } catch (err) {
    pool?.close();
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
 * Opens and logs in to the token labelled `tokenLabel` in `module`. Errors, each with a stable code and never the
 * PIN: pkcs11js not installed → UNSUPPORTED; module path not absolute or not loadable, bad options → VALIDATION_ERROR;
 * no token with the label → NOT_FOUND; PIN refused → UNAUTHENTICATED; token unreachable → UNAVAILABLE.
 * Close it with {@link Pkcs11Token.close}.
 * @example const token = await openPkcs11Token({ module: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'hsm1', pin });
 */
export async function openPkcs11Token(options: Pkcs11TokenOptions): Promise<Pkcs11Token> {
  checkOptions(options);
  await Promise.resolve(); // callers always get a settled promise, never a synchronous throw
  return new Pkcs11Token(options, connect(options));
}

/** A logged-in token. Calls run on sessions of their own, concurrently up to the pool's size. */
export class Pkcs11Token {
  readonly tokenLabel: string;
  readonly module: string;
  readonly #options: Pkcs11TokenOptions;
  #conn: Connection | undefined;
  #closed = false;

  /** @internal use {@link openPkcs11Token}. */
  constructor(options: Pkcs11TokenOptions, conn: Connection) {
    this.#options = { ...options };
    this.tokenLabel = options.tokenLabel;
    this.module = options.module;
    this.#conn = conn;
  }

  /** The connection, reconnecting after the token was found unreachable. */
  #connection(): Connection {
    if (this.#closed) throw new UnavailableError(`the PKCS#11 token '${this.tokenLabel}' is closed`);
    if (this.#conn) return this.#conn;
    try {
      this.#conn = connect(this.#options);
    } catch (err) {
      throw new UnavailableError(
        `the PKCS#11 token '${this.tokenLabel}' is unreachable (${isKmsError(err) ? err.code : 'error'}); retry`,
      );
    }
    return this.#conn;
  }

  /**
   * Runs `fn` on a session of its own. A PKCS#11 failure becomes a domain error (fromPkcs11); one that says the token
   * is unreachable drops the connection (the next call reconnects) and is UNAVAILABLE, retryable.
   */
  async run<T>(call: string, fn: (c: TokenCall) => Promise<T>): Promise<T> {
    const conn = this.#connection();
    let session = await conn.pool.acquire();
    try {
      return await fn({ lib: conn.module.lib, p11: conn.module.p11, session });
    } catch (err) {
      const failure = isKmsError(err) ? err : tokenFailure(err, call);
      // A handle the token no longer knows means that object is gone, not the token.
      if ((isUnreachable(err) || failure.code === 'UNAVAILABLE') && !staleHandle(failure)) this.#drop(conn);
      // A PKCS#11 call that failed may leave its operation active on the session (PKCS#11 2.40 has no
      // C_SessionCancel): a fresh session replaces it. Domain errors (a tag that did not verify, an object not found)
      // are thrown once the token's operation is over, and keep the session.
      else if (!isKmsError(err)) session = conn.pool.renew(session);
      throw failure;
    } finally {
      conn.pool.release(session);
    }
  }

  /**
   * Runs `fn` with the handle of the key object whose CKA_ID is `id` (hex) and CKA_CLASS `cls`, cached per
   * connection. A cached handle the token no longer knows is looked up once more. `missing` is thrown when no object
   * has the id (deleted outside Custos).
   */
  async withKey<T>(
    id: string,
    cls: 'secret' | 'private' | 'public',
    call: string,
    missing: () => Error,
    fn: (c: TokenCall, key: Pkcs11js.Handle) => Promise<T>,
  ): Promise<T> {
    const cacheKey = `${cls}:${id}`;
    for (let attempt = 0; ; attempt++) {
      const conn = this.#connection();
      const cached = conn.handles.get(cacheKey);
      try {
        return await this.run(call, async (c) => {
          const key = cached ?? findObject(c, id, cls);
          if (key === undefined) {
            // Not found: the object is gone, or the whole token is (SoftHSM2 then finds nothing, and its token
            // info fails with CKR_GENERAL_ERROR): only the first is the object's fault.
            c.p11.C_GetTokenInfo(conn.slot);
            throw missing();
          }
          conn.handles.set(cacheKey, key);
          return fn(c, key);
        });
      } catch (err) {
        if (cached === undefined || attempt > 0 || !staleHandle(err)) throw err;
        conn.handles.delete(cacheKey); // the object went away: look it up again (its id may be gone too)
      }
    }
  }

  /** Forgets a cached handle (after the object is destroyed). */
  forget(id: string): void {
    for (const cls of ['secret', 'private', 'public']) this.#conn?.handles.delete(`${cls}:${id}`);
  }

  #drop(conn: Connection): void {
    if (this.#conn !== conn) return;
    this.#conn = undefined;
    conn.pool.whenIdle(() => {
      disconnect(conn);
    });
  }

  /** Closes the sessions (once the calls in flight have finished) and logs out. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
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

const CLASSES = { secret: 'CKO_SECRET_KEY', private: 'CKO_PRIVATE_KEY', public: 'CKO_PUBLIC_KEY' } as const;

/** The object with this CKA_ID and class, if any. */
function findObject(
  { lib, p11, session }: TokenCall,
  id: string,
  cls: 'secret' | 'private' | 'public',
): Pkcs11js.Handle | undefined {
  try {
    p11.C_FindObjectsInit(session, [
      { type: lib.CKA_CLASS, value: lib[CLASSES[cls]] },
      { type: lib.CKA_ID, value: Buffer.from(id, 'hex') },
    ]);
    try {
      return p11.C_FindObjects(session, 1)[0];
    } finally {
      p11.C_FindObjectsFinal(session);
    }
  } catch (err) {
    throw fromPkcs11(err, 'C_FindObjects');
  }
}

/** The error a call on a handle the token no longer knows gives. */
function staleHandle(err: unknown): boolean {
  return (
    isKmsError(err) && err.code === 'UNAVAILABLE' && /CKR_(OBJECT|KEY)_HANDLE_INVALID/.test(err.message) // fromPkcs11's
  );
}

/**
 * A PKCS#11 failure as a domain error (fromPkcs11), except CKR_GENERAL_ERROR ("some horrible, unrecoverable error",
 * PKCS#11 2.40 §5.1.2), which is what SoftHSM2 answers when its token's storage vanished under a session: the token
 * is then treated as unreachable, so the call is retryable and the next one reconnects.
 */
function tokenFailure(err: unknown, call: string): KmsError {
  if (err instanceof Error && err.message.startsWith('CKR_GENERAL_ERROR'))
    return new UnavailableError(`the PKCS#11 token is unreachable (${call}: CKR_GENERAL_ERROR); retry`, { cause: err });
  return fromPkcs11(err, call);
}
