// Bytes in and out of the small-message commands (mac, derive, jose, data-key-pair): a message from --in/stdin or a
// file option, and a result written raw (to --out or a pipe) or, with --json, printed whole with bytes as base64.
// Must not import the store, service or api.
import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import { guardBinaryOutput, openInput, openOutput, readAllBounded, writeAll } from './io.js';
import { printJson } from './output.js';

/** Where a binary result goes: `--out`, and `--force` to write it to a terminal. */
export interface BytesOut {
  out?: string;
  force?: boolean;
}

/**
 * With --json, prints `result` (bytes as base64); else writes `bytes` raw to --out or stdout (not to a terminal
 * without --force: raw bytes garble it); a file is created with `mode` (0600 for secrets).
 */
export async function writeResult(
  json: boolean | undefined,
  o: BytesOut,
  result: unknown,
  bytes: Uint8Array,
  what: string,
  mode = 0o666,
): Promise<void> {
  if (json) {
    printJson(result);
    return;
  }
  guardBinaryOutput(o.out, o.force, what);
  await writeAll(openOutput(o.out, mode), [bytes]);
}

/** A whole input (--in file, or stdin) of at most `max` bytes. */
export function readInput(path: string | undefined, max: number, what: string): Promise<Buffer> {
  return readAllBounded(openInput(path).stream, max, what);
}

/** The bytes of a file an option names; a usage error naming the option when it cannot be read. */
export function readFileOption(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new UsageError(`${option}: cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
