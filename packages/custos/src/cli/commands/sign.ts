// `custos sign` and `custos verify`: a message (RAW, up to 4096 bytes) or a digest, with an asymmetric key.
// Must not import the store, service or api. Signatures are raw bytes (as AWS KMS Sign returns them).
import { readFileSync } from 'node:fs';
import {
  MAX_MESSAGE_BYTES,
  MESSAGE_TYPES,
  type MessageType,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
} from '@custos/contract';
import { type Command, Option } from 'commander';
import { CliError } from '../errors.js';
import { guardBinaryOutput, openInput, openOutput, readAllBounded, writeAll } from '../io.js';
import { addGlobalOptions, addPinFileOption, globalOptions, withKms } from '../options.js';
import { printJson } from '../output.js';
import { serves } from '../serves.js';

/** The largest message Sign and Verify take (AWS KMS); hash a longer one and pass --message-type DIGEST. */

interface SignOptions {
  key: string;
  algorithm: SigningAlgorithm;
  messageType?: MessageType;
  in?: string;
  out?: string;
  force?: boolean;
}

interface VerifyOptions extends Omit<SignOptions, 'out' | 'force'> {
  signatureFile: string;
}

function messageOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of an asymmetric SIGN_VERIFY key')
    .addOption(
      new Option('--algorithm <algorithm>', 'signing algorithm').choices(SIGNING_ALGORITHMS).makeOptionMandatory(),
    )
    .addOption(
      new Option('--message-type <type>', "RAW: the message itself; DIGEST: its hash; EXTERNAL_MU: ML-DSA's 64-byte mu")
        .choices(MESSAGE_TYPES)
        .default('RAW'),
    )
    .option('--in <file>', 'read the message from a file (default stdin)');
}

async function readMessage(path: string | undefined): Promise<Buffer> {
  return readAllBounded(
    openInput(path).stream,
    MAX_MESSAGE_BYTES,
    'the message (hash it and pass --message-type DIGEST)',
  );
}

export function registerSign(program: Command): void {
  const sign = messageOptions(
    serves(program.command('sign'), 'sign').description(
      'sign stdin (or --in); writes the raw signature to stdout (or --out)',
    ),
  )
    .option('--out <file>', 'write the signature to a file (default stdout)')
    .option('--force', 'write the binary signature even to a terminal');
  addGlobalOptions(addPinFileOption(sign)).action(async (o: SignOptions, cmd: Command) => {
    const json = globalOptions(cmd).json;
    if (!json) guardBinaryOutput(o.out, o.force, 'a binary signature');
    const message = await readMessage(o.in);
    await withKms(cmd, async (kms) => {
      const result = await kms.sign({
        keyId: o.key,
        message,
        messageType: o.messageType ?? 'RAW',
        signingAlgorithm: o.algorithm,
      });
      if (json) printJson(result);
      else await writeAll(openOutput(o.out), [result.signature]);
    });
  });

  const verify = messageOptions(
    serves(program.command('verify'), 'verify').description(
      'verify a signature of stdin (or --in): exit 0 if valid, 1 if not',
    ),
  ).requiredOption('--signature-file <file>', 'the raw signature bytes');
  addGlobalOptions(addPinFileOption(verify)).action(async (o: VerifyOptions, cmd: Command) => {
    const signature = readFileSync(o.signatureFile);
    const message = await readMessage(o.in);
    await withKms(cmd, async (kms, g) => {
      const result = await kms.verify({
        keyId: o.key,
        message,
        messageType: o.messageType ?? 'RAW',
        signature,
        signingAlgorithm: o.algorithm,
      });
      // The service raises INVALID_SIGNATURE rather than answering false; a false answer is treated the same.
      if (!result.signatureValid) throw new CliError('INVALID_SIGNATURE', 'the signature is not valid');
      if (g.json) printJson(result);
      else process.stdout.write(`signature valid (${result.signingAlgorithm}, key ${result.keyId})\n`);
    });
  });
}
