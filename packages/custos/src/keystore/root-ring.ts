// The root ring: the root of trust a running service holds while its root key is rotated. It holds one or two root
// keys (the current one, and during a rotation the next one), wraps under the newest, and unwraps under whichever
// wrapped the blob. The keys derived from the root are those carried forward at the first rotation, when set, so a
// new root key never changes them. Must not import store, service or api.
import { InternalError, UnavailableError } from '@custos/contract';
import { exposeSecret, SecretBytes } from '../core/secret-bytes.js';
import type { DerivedKeyPurpose, RootOfTrust } from './root-of-trust.js';

/** Every derived purpose, in the order the carried-forward blob holds them (a released order is never edited). */
const DERIVED_PURPOSES: readonly DerivedKeyPurpose[] = [
  'row-integrity',
  'token-hash',
  'audit-chain',
  'audit-signing',
  'audit-receipt',
  'attestation-signing',
];

const DERIVED_BYTES = 32;

/** The additional data of the carried-forward blob: it names the purposes, in order. */
export const DERIVED_KEYS_AAD = new TextEncoder().encode(`custos/derived-keys/v1\n${DERIVED_PURPOSES.join(',')}`);

/**
 * Brings the ring up to the store's root keys (another node rotated the root): it may add the next root key, or
 * throw UNAVAILABLE when this node cannot hold it. Called when no held root key unwraps a blob.
 */
export type CatchUpHook = () => Promise<void>;

export class RootRing implements RootOfTrust {
  /** Current root first; during a rotation the next root is `#next`. */
  #current: RootOfTrust;
  #next: RootOfTrust | undefined;
  #derived: Map<DerivedKeyPurpose, Uint8Array> | undefined;
  /** See {@link CatchUpHook}. */
  catchUp: CatchUpHook | undefined;
  /**
   * Set (by a periodic check of a store shared by several nodes) while the store is bound to, or rotating to, a
   * root key this ring does not hold: every wrap is refused with it, so nothing is wrapped under a root left behind.
   */
  behind: UnavailableError | undefined;
  /** Run once by close (stops the periodic check). */
  onClose: (() => void) | undefined;

  constructor(current: RootOfTrust) {
    this.#current = current;
  }

  /** The current root key's check value (the one the store is bound to). */
  get keyCheckValue(): string {
    return this.#current.keyCheckValue;
  }

  /** The next root's check value, during a rotation. */
  get nextKeyCheckValue(): string | undefined {
    return this.#next?.keyCheckValue;
  }

  /** The root new material is wrapped under: the next one during a rotation. */
  get writeKeyCheckValue(): string {
    return (this.#next ?? this.#current).keyCheckValue;
  }

  /** Whether the ring holds the root key with this check value. */
  holds(kcv: string): boolean {
    return this.#current.keyCheckValue === kcv || this.#next?.keyCheckValue === kcv;
  }

  /** Holds `next` too (a rotation started or resumes); from now on new material is wrapped under it. */
  async addNext(next: RootOfTrust): Promise<void> {
    if (next.keyCheckValue === this.#current.keyCheckValue) {
      await next.close();
      return;
    }
    if (this.#next !== undefined && this.#next.keyCheckValue !== next.keyCheckValue)
      throw new InternalError('a root ring holds at most two root keys');
    const previous = this.#next;
    this.#next = next;
    if (previous !== undefined && previous !== next) await previous.close();
  }

  /** The next root becomes the current one; the old one is closed (its key wiped from memory). */
  async promote(): Promise<void> {
    const next = this.#next;
    if (next === undefined) return;
    const old = this.#current;
    this.#current = next;
    this.#next = undefined;
    await old.close();
  }

  /**
   * Derived keys from now on come from `keys` (the carried-forward blob, unwrapped), not from the root key. The ring
   * keeps copies; the caller wipes what it passed.
   */
  setDerivedKeys(keys: SecretBytes): void {
    const bytes = exposeSecret(keys);
    if (bytes.length !== DERIVED_PURPOSES.length * DERIVED_BYTES)
      throw new InternalError('the carried-forward derived keys have the wrong length');
    this.#wipeDerived();
    this.#derived = new Map(
      DERIVED_PURPOSES.map((p, i) => [p, bytes.slice(i * DERIVED_BYTES, (i + 1) * DERIVED_BYTES)]),
    );
  }

  /** Every derived key, concatenated in {@link DERIVED_PURPOSES} order (to carry them forward). The caller wipes it. */
  async allDerivedKeys(): Promise<SecretBytes> {
    const parts: SecretBytes[] = [];
    try {
      for (const purpose of DERIVED_PURPOSES) parts.push(await this.deriveKey(purpose));
      const all = new Uint8Array(DERIVED_PURPOSES.length * DERIVED_BYTES);
      parts.forEach((part, i) => {
        all.set(exposeSecret(part), i * DERIVED_BYTES);
      });
      return SecretBytes.adopt(all);
    } finally {
      for (const part of parts) part.wipe();
    }
  }

  async wrap(material: SecretBytes, aad: Uint8Array): Promise<Uint8Array> {
    if (this.behind) throw this.behind;
    return (this.#next ?? this.#current).wrap(material, aad);
  }

  /** Unwraps under the next root first (what a rotation has re-wrapped), then the current one. */
  async unwrap(wrapped: Uint8Array, aad: Uint8Array): Promise<SecretBytes> {
    const held = this.#held();
    const first = await this.#tryUnwrap(wrapped, aad);
    if (first.ok) return first.secret;
    await this.catchUp?.();
    if (this.#held() === held) throw first.failure;
    const second = await this.#tryUnwrap(wrapped, aad); // caught up with a root key another node made
    if (second.ok) return second.secret;
    throw second.failure;
  }

  #held(): string {
    return `${this.#current.keyCheckValue}/${this.#next?.keyCheckValue ?? ''}`;
  }

  async #tryUnwrap(
    wrapped: Uint8Array,
    aad: Uint8Array,
  ): Promise<{ ok: true; secret: SecretBytes } | { ok: false; failure: unknown }> {
    let failure: unknown;
    for (const root of this.#next ? [this.#next, this.#current] : [this.#current]) {
      try {
        return { ok: true, secret: await root.unwrap(wrapped, aad) };
      } catch (err) {
        if (err instanceof UnavailableError) throw err; // a token out of reach: retryable, not a wrong key
        failure = err;
      }
    }
    return { ok: false, failure };
  }

  deriveKey(purpose: DerivedKeyPurpose): Promise<SecretBytes> {
    const carried = this.#derived?.get(purpose);
    if (carried !== undefined) return Promise.resolve(SecretBytes.from(carried));
    return this.#current.deriveKey(purpose);
  }

  #wipeDerived(): void {
    for (const bytes of this.#derived?.values() ?? []) bytes.fill(0);
    this.#derived = undefined;
  }

  async close(): Promise<void> {
    this.onClose?.();
    this.onClose = undefined;
    this.#wipeDerived();
    const next = this.#next;
    this.#next = undefined;
    await next?.close();
    await this.#current.close();
  }
}
