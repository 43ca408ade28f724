// ByteReader: exact byte counts out of an async byte source, for the stream format's decoder (stream.ts).
// Must not import anything but @custos/contract and node's Buffer.
import { InvalidCiphertextError } from '@custos/contract';

/**
 * Pulls exact byte counts out of an async byte source without holding more than it must.
 * `read(n)` returns n bytes, fewer only at the end of the input.
 */
export class ByteReader {
  readonly #source: AsyncIterator<Uint8Array>;
  #buffer: Buffer = Buffer.alloc(0);
  #ended = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]();
  }

  /** Buffers until at least n bytes are held or the input ends. */
  async #fill(n: number): Promise<void> {
    const chunks: Buffer[] = [this.#buffer];
    let held = this.#buffer.length;
    while (held < n && !this.#ended) {
      const next = await this.#source.next();
      if (next.done) this.#ended = true;
      else if (next.value.length > 0) {
        chunks.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
        held += next.value.length;
      }
    }
    if (chunks.length > 1) this.#buffer = Buffer.concat(chunks, held);
  }

  /** Up to n bytes: exactly n unless the input ends first. */
  async read(n: number): Promise<Buffer> {
    await this.#fill(n);
    const out = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(out.length);
    return out;
  }

  /** Up to n bytes without consuming them. */
  async peek(n: number): Promise<Buffer> {
    await this.#fill(n);
    return this.#buffer.subarray(0, n);
  }

  /** Everything not read yet, buffered bytes first. */
  async *remaining(): AsyncGenerator<Buffer> {
    if (this.#buffer.length > 0) yield this.#buffer;
    this.#buffer = Buffer.alloc(0);
    while (!this.#ended) {
      const next = await this.#source.next();
      if (next.done) this.#ended = true;
      else yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    }
  }

  /** Exactly n bytes, or InvalidCiphertextError if the input ends first. */
  async readExact(n: number): Promise<Buffer> {
    const out = await this.read(n);
    if (out.length !== n) throw new InvalidCiphertextError();
    return out;
  }

  /** Whether the input has no more bytes. */
  async atEnd(): Promise<boolean> {
    await this.#fill(1);
    return this.#buffer.length === 0;
  }

  /** Stops the source (e.g. closes a file) when decoding ends early. */
  async cancel(): Promise<void> {
    await this.#source.return?.();
  }
}
