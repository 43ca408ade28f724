// Where `custos decrypt` writes an envelope stream's plaintext when the output is stdout, which cannot be taken back:
// nothing before the whole stream has verified, when the format allows it. Must not import the store, service or api.
// The CSTE format authenticates frame by frame (client/src/stream.ts), so the end is known only at the final frame.
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isKmsError } from '@custos/contract';
import { CliError } from '../errors.js';

/** Plaintext `decrypt` holds in memory by default before it must start writing to stdout. */
export const DEFAULT_HOLD_BYTES = 64 * 1024 * 1024;

/**
 * Writes verified frames to `out` (stdout) so that a damaged stream writes nothing:
 * 1. up to `hold` bytes are held in memory and written once the final frame has verified;
 * 2. beyond that, when the input can be read again (`again`, a file), the rest is verified without writing, and a
 *    second pass writes it all;
 * 3. else (stdin) it has to write as it goes, and a failure then says how many bytes were already written.
 */
export async function writeVerifiedStream(
  frames: AsyncIterable<Buffer>,
  out: Writable,
  hold: number,
  again: (() => AsyncIterable<Buffer>) | undefined,
): Promise<void> {
  const held: Buffer[] = [];
  let heldBytes = 0;
  const iterator = frames[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) {
      await pipeline(held, out, { end: false });
      return;
    }
    held.push(next.value);
    heldBytes += next.value.length;
    if (heldBytes > hold) break;
  }
  if (again !== undefined) {
    held.length = 0;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()); // verify only
    await pipeline(again(), out, { end: false });
    return;
  }
  let written = 0;
  const rest = (async function* () {
    for (const chunk of held.splice(0)) {
      written += chunk.length;
      yield chunk;
    }
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      written += next.value.length;
      yield next.value;
    }
  })();
  try {
    await pipeline(rest, out, { end: false });
  } catch (err) {
    if (!isKmsError(err) || err.code !== 'INVALID_CIPHERTEXT' || written === 0) throw err;
    throw new CliError(
      'INVALID_CIPHERTEXT',
      `the ciphertext is invalid (damaged, truncated or extended) after ${String(written)} bytes of plaintext were written to stdout: discard them. The input was larger than --hold and not a file that can be read twice; decrypt with --out <file> (written only when whole) or --in <file> to write nothing on failure`,
      { cause: err },
    );
  }
}
