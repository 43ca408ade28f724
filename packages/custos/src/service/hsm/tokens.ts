// Which PKCS#11 token holds an HSM-protected key: the one decision, behind hsmTokenFor. Today the only token is the
// root of trust's (when the root is PKCS#11), opened as a Pkcs11Token of its own on first use; custom key stores
// plug in here (a non-null key store id). Must not import api.
import { UnsupportedError } from '@custos/contract';
import { openPkcs11Token, type Pkcs11Token, type Pkcs11TokenOptions } from '../../keystore/pkcs11/token.js';
import type { ServiceContext } from '../context.js';

/** The tokens HSM-protected keys use; LocalKms makes it from its settings and closes it. */
export class HsmTokens {
  readonly #root: Pkcs11TokenOptions | undefined;
  #opening: Promise<Pkcs11Token> | undefined;
  #closed = false;

  /** `root`: the root of trust's token (same module, label and PIN), or undefined when the root is not PKCS#11. */
  constructor(root: Pkcs11TokenOptions | undefined) {
    this.#root = root && { ...root };
  }

  /** Whether the root of trust is a PKCS#11 token (HSM-protected keys without a key store can live there). */
  get hasRootToken(): boolean {
    return this.#root !== undefined;
  }

  /** The root of trust's token, opened once (a failed open is retried on the next call). */
  rootToken(): Promise<Pkcs11Token> {
    if (this.#root === undefined) return Promise.reject(noToken());
    const options = this.#root;
    this.#opening ??= openPkcs11Token(options).catch((err: unknown) => {
      this.#opening = undefined;
      throw err;
    });
    return this.#opening;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const opening = this.#opening;
    this.#opening = undefined;
    await (await opening?.catch(() => undefined))?.close();
  }
}

function noToken(): UnsupportedError {
  return new UnsupportedError(
    'HSM-protected keys need a PKCS#11 token: this server has no custom key store given and its root of trust is ' +
      'not PKCS#11 (start it with --root-of-trust pkcs11)',
  );
}

/**
 * The token for a key in `keyStoreId`; null = the root of trust's token. UNSUPPORTED when there is none.
 * @example const token = await hsmTokenFor(ctx, version.customKeyStoreId ?? null);
 */
export function hsmTokenFor(ctx: ServiceContext, keyStoreId: string | null): Promise<Pkcs11Token> {
  if (keyStoreId !== null)
    return Promise.reject(new UnsupportedError(`custom key store ${keyStoreId} is not available on this server`));
  if (!ctx.hsmTokens) return Promise.reject(noToken());
  return ctx.hsmTokens.rootToken();
}
