// `custos mac generate|verify`: HMAC of a message (up to 4096 bytes) with a GENERATE_VERIFY_MAC key (GenerateMac,
// VerifyMac). Must not import the store, service or api. The MAC is raw bytes, as AWS KMS returns it.
import { MAC_ALGORITHMS, MAX_MESSAGE_BYTES, type MacAlgorithm } from '@custos/contract';
import { type Command, Option } from 'commander';
import { type BytesOut, readFileOption, readInput, writeResult } from '../bytes.js';
import { CliError } from '../errors.js';
import { addGlobalOptions, withKms } from '../options.js';
import { printJson } from '../output.js';
import { serves } from '../serves.js';

interface MacOptions extends BytesOut {
  key: string;
  algorithm: MacAlgorithm;
  in?: string;
  macFile?: string;
}

function macOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of an HMAC key')
    .addOption(new Option('--algorithm <algorithm>', 'MAC algorithm').choices(MAC_ALGORITHMS).makeOptionMandatory())
    .option('--in <file>', 'read the message from a file (default stdin)');
}

export function registerMac(program: Command): void {
  const mac = program.command('mac').description('HMACs with GENERATE_VERIFY_MAC keys');

  const generate = macOptions(serves(mac.command('generate'), 'generateMac'))
    .description('the MAC of stdin (or --in), raw to stdout (or --out)')
    .option('--out <file>', 'write the MAC to a file (default stdout)')
    .option('--force', 'write the binary MAC even to a terminal');
  addGlobalOptions(generate).action((o: MacOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const message = await readInput(o.in, MAX_MESSAGE_BYTES, 'the message');
      const r = await kms.generateMac({ keyId: o.key, macAlgorithm: o.algorithm, message });
      await writeResult(g.json, o, r, r.mac, 'a binary MAC');
    }),
  );

  const verify = macOptions(serves(mac.command('verify'), 'verifyMac'))
    .description('check a MAC of stdin (or --in): exit 0 if valid, 1 (INVALID_MAC) if not')
    .requiredOption('--mac-file <file>', 'the raw MAC bytes');
  addGlobalOptions(verify).action((o: MacOptions & { macFile: string }, c: Command) =>
    withKms(c, async (kms, g) => {
      const macBytes = readFileOption(o.macFile, '--mac-file');
      const message = await readInput(o.in, MAX_MESSAGE_BYTES, 'the message');
      const r = await kms.verifyMac({ keyId: o.key, macAlgorithm: o.algorithm, message, mac: macBytes });
      // The service raises INVALID_MAC rather than answering false; a false answer is treated the same.
      if (!r.macValid) throw new CliError('INVALID_MAC', 'the MAC is not valid');
      if (g.json) printJson(r);
      else process.stdout.write(`MAC valid (${r.macAlgorithm}, key ${r.keyId})\n`);
    }),
  );
}
