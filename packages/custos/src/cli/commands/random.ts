// `custos random`: GenerateRandom, as base64, hex or raw bytes.
// Must not import the store, service or api.
import { type Command, Option } from 'commander';
import { MAX_RANDOM_BYTES } from '@custos/contract';
import { guardBinaryOutput, openOutput, writeAll } from '../io.js';
import { addGlobalOptions, globalOptions, integer, withKms } from '../options.js';
import { textOrJson } from '../output.js';
import { serves } from '../serves.js';

/** GenerateRandom returns at most MAX_RANDOM_BYTES per call; larger requests take several. */
const PER_CALL = MAX_RANDOM_BYTES;
const MAX_BYTES = 1024 * 1024;

interface RandomOptions {
  bytes: number;
  format: 'base64' | 'hex' | 'raw';
  out?: string;
  force?: boolean;
}

export function registerRandom(program: Command): void {
  const cmd = serves(program.command('random'), 'generateRandom')
    .description('random bytes from the server CSPRNG')
    .addOption(
      new Option('--bytes <n>', `how many bytes (1..${MAX_BYTES})`)
        .argParser(integer('--bytes', 1, MAX_BYTES))
        .default(32),
    )
    .addOption(new Option('--format <format>', 'output encoding').choices(['base64', 'hex', 'raw']).default('base64'))
    .option('--out <file>', 'write to a file (default stdout)')
    .option('--force', 'write raw bytes even to a terminal');
  addGlobalOptions(cmd).action((o: RandomOptions, c: Command) => {
    const json = globalOptions(c).json;
    if (o.format === 'raw' && !json) guardBinaryOutput(o.out, o.force, 'raw random bytes');
    return withKms(c, async (kms) => {
      const parts: Uint8Array[] = [];
      for (let left = o.bytes; left > 0; left -= PER_CALL) {
        parts.push((await kms.generateRandom({ numberOfBytes: Math.min(left, PER_CALL) })).plaintext);
      }
      const bytes = Buffer.concat(parts);
      const out = json
        ? textOrJson(true, { plaintext: bytes }, '')
        : o.format === 'raw'
          ? bytes
          : Buffer.from(`${bytes.toString(o.format)}\n`, 'utf8');
      await writeAll(openOutput(o.out, 0o600), [out]);
    });
  });
}
