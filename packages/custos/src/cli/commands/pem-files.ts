// Reading and writing the PEM files of the certificate commands: a chain file is PEM blocks back to back, leaf first
// (as openssl and web servers keep them). Must not import the store, service, core or api.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { openOutput, writeAll } from '../io.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The text of a file, or a usage error naming the option when it cannot be read. */
export function readText(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`${option}: cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The PEM blocks of a file, each with a final newline; a usage error when there is none. */
export function readPemBlocks(path: string, option: string): string[] {
  const blocks = readText(path, option).match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new UsageError(`${option}: ${path} holds no PEM block`);
  return blocks.map((block) => `${block}\n`);
}

/** Writes PEM texts, back to back, to `--out` or stdout. */
export async function writePem(out: string | undefined, pems: readonly string[]): Promise<void> {
  await writeAll(
    openOutput(out),
    pems.map((pem) => Buffer.from(pem.endsWith('\n') ? pem : `${pem}\n`, 'utf8')),
  );
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
