// The custom key stores this node has connected: one Pkcs11Token per CONNECTED store, opened on the server's
// configured PKCS#11 module (a client never names a library), with the store's PIN unwrapped from the root of trust.
// The desired state lives in the store's row; on PostgreSQL each node connects lazily when it first needs a store.
// Must not import api.
import {
  InvalidStateError,
  isKmsError,
  NotFoundError,
  UnsupportedError,
  type ConnectionErrorCode,
  type KmsError,
} from '@custos/contract';
import { openPkcs11Token, type Pkcs11Token } from '../../keystore/pkcs11/token.js';
import type { RootOfTrust } from '../../keystore/root-of-trust.js';
import { unwrapCurrent } from '../root/unwrap-current.js';
import type { CustomKeyStoreRecord } from '../../store/types.js';
import { exposeSecret } from '../../core/secret-bytes.js';

/**
 * Additional data of a store's wrapped PIN: the wrapped PIN of one store copied into another's row does not unwrap.
 * Root rotation re-wraps `custom_key_stores.wrapped_pin` under the new root key with this same aad.
 */
export function keyStorePinAad(storeId: string): Uint8Array {
  return new TextEncoder().encode(`custos:custom-key-store-pin:v1:${storeId}`);
}

/** What a failed connection attempt says: the AWS ConnectionErrorCode of a domain error from openPkcs11Token. */
function connectionErrorCode(err: KmsError): ConnectionErrorCode | undefined {
  switch (err.code) {
    case 'UNAUTHENTICATED':
      return 'INVALID_CREDENTIALS';
    case 'NOT_FOUND':
      return 'CLUSTER_NOT_FOUND';
    case 'UNAVAILABLE':
      return 'NETWORK_ERRORS';
    default:
      return undefined; // a server misconfiguration (no pkcs11js, a bad module): thrown, not recorded
  }
}

/** The outcome of a connection attempt. */
export type ConnectOutcome =
  { readonly connected: true } | { readonly connected: false; readonly errorCode: ConnectionErrorCode };

/** One per node (KeyService owns it). */
export class KeyStoreRegistry {
  readonly #module: string | undefined;
  readonly #tokens = new Map<string, Pkcs11Token>();
  readonly #opening = new Map<string, Promise<ConnectOutcome>>();
  /** Lazy connections that failed on this node, by store id (Describe shows the store FAILED here). */
  readonly #failures = new Map<string, ConnectionErrorCode>();
  /** When each open store's row was last seen CONNECTED. */
  readonly #checkedAt = new Map<string, number>();
  readonly #ttlMs: number;

  /**
   * `module`: the PKCS#11 library from the server's settings, undefined when none is configured; `ttlMs`: how long a
   * store's CONNECTED row is trusted before it is read again (0: on every use).
   */
  constructor(module: string | undefined, ttlMs: number) {
    this.#module = module;
    this.#ttlMs = ttlMs;
  }

  /** The configured module; UNSUPPORTED when the server has none. */
  requireModule(): string {
    if (this.#module === undefined)
      throw new UnsupportedError(
        'custom key stores need a PKCS#11 module in the server settings (--hsm-module, CUSTOS_HSM_MODULE, or a PKCS#11 root of trust)',
      );
    return this.#module;
  }

  /** Whether this node holds an open token for the store. */
  isOpen(storeId: string): boolean {
    return this.#tokens.has(storeId);
  }

  /** The failure of this node's last lazy connection to the store, if any. */
  failure(storeId: string): ConnectionErrorCode | undefined {
    return this.#failures.get(storeId);
  }

  /**
   * Opens the store's token on this node (once; concurrent callers share the attempt). A refused PIN, a missing
   * token or an unreachable one is an outcome (`connected: false` with the AWS ConnectionErrorCode), not an error;
   * a server without a module or without pkcs11js throws. `reload` reads the store's row again, for a PIN that a
   * root rotation re-wrapped after `store` was read (unwrapCurrent).
   */
  connect(
    store: CustomKeyStoreRecord,
    rootOfTrust: RootOfTrust,
    reload: () => Promise<CustomKeyStoreRecord | undefined>,
  ): Promise<ConnectOutcome> {
    if (this.#tokens.has(store.id)) return Promise.resolve({ connected: true });
    const module = this.requireModule();
    let attempt = this.#opening.get(store.id);
    if (!attempt) {
      attempt = this.#open(store, module, rootOfTrust, reload).finally(() => this.#opening.delete(store.id));
      this.#opening.set(store.id, attempt);
    }
    return attempt;
  }

  async #open(
    store: CustomKeyStoreRecord,
    module: string,
    rootOfTrust: RootOfTrust,
    reload: () => Promise<CustomKeyStoreRecord | undefined>,
  ): Promise<ConnectOutcome> {
    const secret = await unwrapCurrent(
      rootOfTrust,
      store.wrappedPin,
      keyStorePinAad(store.id),
      async () => (await reload())?.wrappedPin,
    );
    let pin: string;
    try {
      pin = new TextDecoder().decode(exposeSecret(secret));
    } finally {
      secret.wipe();
    }
    try {
      const token = await openPkcs11Token({ module, tokenLabel: store.tokenLabel, pin });
      this.#tokens.set(store.id, token);
      this.#failures.delete(store.id);
      return { connected: true };
    } catch (err) {
      const errorCode = isKmsError(err) ? connectionErrorCode(err) : undefined;
      if (errorCode === undefined) throw err;
      this.#failures.set(store.id, errorCode);
      return { connected: false, errorCode };
    }
  }

  /**
   * The open token of a store its row says is CONNECTED, connecting this node lazily. The row is read again at most
   * every `ttlMs` (the key cache's bound on staleness across nodes). A store not CONNECTED, or one this node cannot
   * connect to, is CUSTOM_KEY_STORE_INVALID_STATE; a token this node still holds for a store disconnected elsewhere
   * is closed.
   */
  async token(
    storeId: string,
    load: () => Promise<CustomKeyStoreRecord | undefined>,
    rootOfTrust: RootOfTrust,
  ): Promise<Pkcs11Token> {
    const open = this.#tokens.get(storeId);
    const checked = this.#checkedAt.get(storeId);
    if (open && checked !== undefined && Date.now() - checked < this.#ttlMs) return open;
    const store = await load();
    if (!store) {
      await this.disconnect(storeId);
      throw new NotFoundError(`custom key store not found: ${storeId}`, 'CUSTOM_KEY_STORE_NOT_FOUND');
    }
    if (store.connectionState !== 'CONNECTED') {
      await this.disconnect(store.id);
      throw new InvalidStateError(
        `custom key store ${store.id} is ${store.connectionState}, not CONNECTED`,
        'CUSTOM_KEY_STORE_INVALID_STATE',
      );
    }
    const outcome = await this.connect(store, rootOfTrust, load);
    const token = this.#tokens.get(store.id);
    if (!outcome.connected || !token)
      throw new InvalidStateError(
        `custom key store ${store.id} could not connect on this node (${outcome.connected ? 'closed' : outcome.errorCode})`,
        'CUSTOM_KEY_STORE_INVALID_STATE',
      );
    this.#checkedAt.set(store.id, Date.now());
    return token;
  }

  /** Closes this node's token of the store, if open (calls in flight finish first). */
  async disconnect(storeId: string): Promise<void> {
    this.#failures.delete(storeId);
    this.#checkedAt.delete(storeId);
    const token = this.#tokens.get(storeId);
    if (!token) return;
    this.#tokens.delete(storeId);
    await token.close();
  }

  /** Closes every token (the service is closing). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#opening.values()]);
    const tokens = [...this.#tokens.values()];
    this.#tokens.clear();
    await Promise.all(tokens.map((t) => t.close()));
  }
}
