// A small pool of PKCS#11 sessions: one session per concurrent call (a session runs one operation at a time), so
// the asynchronous pkcs11js calls run side by side on libuv's threads. Must not import store, service or api.
import type * as Pkcs11js from 'pkcs11js';
import { fromPkcs11, type LoadedModule } from './module.js';

/** Sessions opened on one slot; `acquire` waits for a free one. */
export class SessionPool {
  readonly #module: LoadedModule;
  readonly #all: Pkcs11js.Handle[];
  readonly #slot: Pkcs11js.Handle;
  /** A session for setup, before the pool is shared. */
  readonly first: Pkcs11js.Handle;
  readonly #idle: Pkcs11js.Handle[];
  readonly #waiting: ((session: Pkcs11js.Handle) => void)[] = [];
  readonly #onIdle: (() => void)[] = [];

  private constructor(
    module: LoadedModule,
    slot: Pkcs11js.Handle,
    first: Pkcs11js.Handle,
    sessions: Pkcs11js.Handle[],
  ) {
    this.#module = module;
    this.#slot = slot;
    this.first = first;
    this.#all = sessions;
    this.#idle = [...sessions];
  }

  /** Opens `size` read-write sessions on `slot` (read-write: the first start creates the root key). */
  static open(module: LoadedModule, slot: Pkcs11js.Handle, size: number): SessionPool {
    const { lib, p11 } = module;
    const sessions: Pkcs11js.Handle[] = [];
    try {
      for (let i = 0; i < size; i++)
        sessions.push(p11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION));
    } catch (err) {
      for (const s of sessions) closeQuietly(module, s);
      throw fromPkcs11(err, 'C_OpenSession');
    }
    const [first] = sessions;
    if (first === undefined) throw new Error('a session pool needs at least one session');
    return new SessionPool(module, slot, first, sessions);
  }

  acquire(): Promise<Pkcs11js.Handle> {
    const session = this.#idle.pop();
    if (session !== undefined) return Promise.resolve(session);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(session: Pkcs11js.Handle): void {
    const next = this.#waiting.shift();
    if (next) {
      next(session);
      return;
    }
    this.#idle.push(session);
    if (this.#idle.length === this.#all.length) for (const fn of this.#onIdle.splice(0)) fn();
  }

  /**
   * Replaces a session in use whose state is unknown (a call failed half-way and may have left an operation active)
   * by a fresh one on the same slot, opened before the old one is closed so that the login survives. Release the
   * returned session, not the old one. When the token refuses a new session, the old one is kept.
   */
  renew(session: Pkcs11js.Handle): Pkcs11js.Handle {
    const { lib, p11 } = this.#module;
    let fresh: Pkcs11js.Handle;
    try {
      fresh = p11.C_OpenSession(this.#slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
    } catch {
      return session;
    }
    closeQuietly(this.#module, session);
    const at = this.#all.indexOf(session);
    if (at >= 0) this.#all[at] = fresh;
    return fresh;
  }

  /** Calls `fn` once no session is in use (at once if none is). */
  whenIdle(fn: () => void): void {
    if (this.#idle.length === this.#all.length) fn();
    else this.#onIdle.push(fn);
  }

  /** Closes every session (call when idle). */
  close(): void {
    for (const s of this.#all) closeQuietly(this.#module, s);
  }
}

function closeQuietly(module: LoadedModule, session: Pkcs11js.Handle): void {
  try {
    module.p11.C_CloseSession(session);
  } catch {
    // The token is gone: its sessions went with it.
  }
}
