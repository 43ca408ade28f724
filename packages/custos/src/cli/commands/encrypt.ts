// `custos encrypt`: stdin/--in to ciphertext on stdout/--out; one Encrypt call up to 4096 bytes, else the envelope stream.
// Must not import the store, service or api: it holds a data key only in memory, for one stream.
import { ByteReader, encryptStream } from '@custos/client/stream';
import { ENCRYPTION_ALGORITHMS, MAX_MESSAGE_BYTES, type EncryptionAlgorithm } from '@custos/contract';
import { type Command, Option } from 'commander';
import { guardBinaryOutput, openInput, openOutput, readAllBounded, withProgress, writeAll } from '../io.js';
import { addGlobalOptions, addPinFileOption, collectKeyValue, globalOptions, withKms } from '../options.js';
import { UsageError } from '../errors.js';
import { textOrJson } from '../output.js';
import { serves } from '../serves.js';

/** Input up to this size goes in one Encrypt call (the contract's plaintext limit). */
const ENCRYPT_LIMIT = MAX_MESSAGE_BYTES;

interface EncryptOptions {
  key: string;
  context?: Record<string, string>;
  in?: string;
  out?: string;
  force?: boolean;
  algorithm?: EncryptionAlgorithm;
}

export function registerEncrypt(program: Command): void {
  const cmd = serves(program.command('encrypt'), 'encrypt')
    .description(
      `encrypt stdin (or --in) under a key: up to ${ENCRYPT_LIMIT} bytes in one Encrypt call (the output is the KMS blob), larger inputs under a fresh data key in the CSTE envelope stream`,
    )
    .requiredOption('--key <id|alias>', 'key id, ARN or alias')
    .option('--context <key=value>', 'encryption context entry (repeatable); decrypt needs the same', collectKeyValue)
    .option('--in <file>', 'read the plaintext from a file (default stdin)')
    .option('--out <file>', 'write the ciphertext to a file (default stdout)')
    .option('--force', 'write binary ciphertext even to a terminal')
    .addOption(
      new Option('--algorithm <algorithm>', 'encryption algorithm (RSA keys: one Encrypt call, no envelope)').choices(
        ENCRYPTION_ALGORITHMS,
      ),
    );
  addGlobalOptions(addPinFileOption(cmd)).action((o: EncryptOptions, c: Command) => encrypt(o, c));
}

async function encrypt(o: EncryptOptions, cmd: Command): Promise<void> {
  const json = globalOptions(cmd).json;
  if (!json) guardBinaryOutput(o.out, o.force, 'binary ciphertext');
  const input = openInput(o.in);
  const source = withProgress(input.stream, input.size);
  const encryptionContext = o.context;
  await withKms(cmd, async (kms) => {
    if (json) {
      // One Encrypt call, its result as JSON (the blob as base64); a stream is bytes, and has no JSON form.
      const plaintext = await readAllBounded(
        source,
        ENCRYPT_LIMIT,
        'the input (--json encrypts in one Encrypt call; drop --json for the envelope stream)',
      );
      if (plaintext.length === 0)
        throw new UsageError('--json encrypts in one Encrypt call, which needs 1 byte or more');
      const result = await kms.encrypt({
        keyId: o.key,
        plaintext,
        ...(o.algorithm && { encryptionAlgorithm: o.algorithm }),
        ...(encryptionContext && { encryptionContext }),
      });
      const text = textOrJson(true, result, '');
      return writeAll(openOutput(o.out), [text]);
    }
    if (o.algorithm !== undefined && o.algorithm !== 'SYMMETRIC_DEFAULT') {
      const plaintext = await readAllBounded(source, ENCRYPT_LIMIT, 'the input');
      const { ciphertextBlob } = await kms.encrypt({
        keyId: o.key,
        plaintext,
        encryptionAlgorithm: o.algorithm,
        ...(encryptionContext && { encryptionContext }),
      });
      return writeAll(openOutput(o.out), [ciphertextBlob]);
    }
    const reader = new ByteReader(source);
    const head = await reader.peek(ENCRYPT_LIMIT + 1); // stays in the reader for the envelope path
    if (head.length >= 1 && head.length <= ENCRYPT_LIMIT) {
      const { ciphertextBlob } = await kms.encrypt({
        keyId: o.key,
        plaintext: head,
        ...(encryptionContext && { encryptionContext }),
      });
      return writeAll(openOutput(o.out), [ciphertextBlob]);
    }
    // Empty or larger than one call: a fresh AES-256 data key under the same key and context.
    const dataKey = await kms.generateDataKey({
      keyId: o.key,
      keySpec: 'AES_256',
      ...(encryptionContext && { encryptionContext }),
    });
    try {
      await writeAll(openOutput(o.out), encryptStream(reader.remaining(), dataKey.plaintext, dataKey.ciphertextBlob));
    } finally {
      dataKey.plaintext.fill(0);
    }
  });
}
