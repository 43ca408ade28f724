// `custos re-encrypt`: ReEncrypt a KMS ciphertext blob (what `custos encrypt` writes for up to 4096 bytes) under
// another key or context, without the plaintext leaving the server. Must not import the store, service or api.
import { ENCRYPTION_ALGORITHMS, type EncryptionAlgorithm, MAX_CIPHERTEXT_BYTES } from '@custos/contract';
import { isStreamFormat } from '@custos/client/stream';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { type BytesOut, readInput, writeResult } from '../bytes.js';
import { addGlobalOptions, collectKeyValue, withKms } from '../options.js';
import { serves } from '../serves.js';

interface ReEncryptOptions extends BytesOut {
  to: string;
  from?: string;
  context?: Record<string, string>;
  toContext?: Record<string, string>;
  algorithm?: EncryptionAlgorithm;
  toAlgorithm?: EncryptionAlgorithm;
  in?: string;
}

export function registerReEncrypt(program: Command): void {
  const cmd = serves(program.command('re-encrypt'), 'reEncrypt')
    .description('re-encrypt a ciphertext blob from stdin (or --in) under another key (--to), on the server')
    .requiredOption('--to <id|alias>', 'the destination key')
    .option('--from <id|alias>', 'require this source key (needed for RSA keys)')
    .option('--context <key=value>', 'the source encryption context (repeatable)', collectKeyValue)
    .option('--to-context <key=value>', 'the destination encryption context (repeatable)', collectKeyValue)
    .addOption(new Option('--algorithm <algorithm>', 'source encryption algorithm').choices(ENCRYPTION_ALGORITHMS))
    .addOption(
      new Option('--to-algorithm <algorithm>', 'destination encryption algorithm').choices(ENCRYPTION_ALGORITHMS),
    )
    .option('--in <file>', 'read the ciphertext from a file (default stdin)')
    .option('--out <file>', 'write the new ciphertext to a file (default stdout)')
    .option('--force', 'write binary ciphertext even to a terminal');
  addGlobalOptions(cmd).action((o: ReEncryptOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const ciphertextBlob = await readInput(o.in, MAX_CIPHERTEXT_BYTES, 'the ciphertext');
      if (isStreamFormat(ciphertextBlob))
        throw new UsageError(
          're-encrypt takes a KMS ciphertext blob; an envelope stream (input over 4096 bytes) is decrypted and encrypted again',
        );
      const r = await kms.reEncrypt({
        ciphertextBlob,
        destinationKeyId: o.to,
        ...(o.from !== undefined && { sourceKeyId: o.from }),
        ...(o.context && { sourceEncryptionContext: o.context }),
        ...(o.toContext && { destinationEncryptionContext: o.toContext }),
        ...(o.algorithm && { sourceEncryptionAlgorithm: o.algorithm }),
        ...(o.toAlgorithm && { destinationEncryptionAlgorithm: o.toAlgorithm }),
      });
      await writeResult(g.json, o, r, r.ciphertextBlob, 'binary ciphertext');
    }),
  );
}
