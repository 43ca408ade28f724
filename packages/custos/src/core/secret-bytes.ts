// The sole holder of key material in Custos. Must not import anything but node:crypto and node:util.
// Raw bytes come out only through `exposeSecret`, so every use of key material is one grep away.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTED = '[secret]';

/** Key material: prints as `[secret]`, compares in constant time, can be wiped. */
export class SecretBytes {
  readonly #bytes: Uint8Array;
  #wiped = false;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Takes a copy of `bytes`; the caller should wipe its own copy when it can. */
  static from(bytes: Uint8Array): SecretBytes {
    return new SecretBytes(new Uint8Array(bytes));
  }

  /** Takes ownership of `bytes` without copying (for buffers nobody else holds). */
  static adopt(bytes: Uint8Array): SecretBytes {
    return new SecretBytes(bytes);
  }

  static random(length: number): SecretBytes {
    return new SecretBytes(new Uint8Array(randomBytes(length)));
  }

  get length(): number {
    return this.#bytes.length;
  }

  /** Constant-time equality (lengths are not secret). */
  equals(other: SecretBytes): boolean {
    const a = this.#bytes;
    const b = other.#bytes;
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Overwrites the bytes with zeros; later use throws. */
  wipe(): void {
    this.#bytes.fill(0);
    this.#wiped = true;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }

  /** @internal read through `exposeSecret` */
  static expose(secret: SecretBytes): Uint8Array {
    if (secret.#wiped) throw new Error('secret used after wipe');
    return secret.#bytes;
  }
}

/** The one way to read key material. The returned view must not be kept or logged. */
export function exposeSecret(secret: SecretBytes): Uint8Array {
  return SecretBytes.expose(secret);
}
