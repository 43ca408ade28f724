// `custos decrypt`: reverses `custos encrypt`, telling the KMS blob (0x01) from the envelope stream ('CSTE') by the first bytes.
// Must not import the store, service or api. Streams the envelope form; a failure removes a partial --out file.
import { ByteReader, STREAM_MAGIC, decryptStream, isStreamFormat } from '@custos/client/stream';
import {
  ENCRYPTION_ALGORITHMS,
  type EncryptionAlgorithm,
  InvalidCiphertextError,
  MAX_CIPHERTEXT_BYTES,
} from '@custos/contract';
import { type Command, Option } from 'commander';
import { openInput, openOutput, withProgress, writeAll } from '../io.js';
import { addGlobalOptions, addPinFileOption, collectKeyValue, withKms } from '../options.js';

interface DecryptOptions {
  context?: Record<string, string>;
  key?: string;
  in?: string;
  out?: string;
  algorithm?: EncryptionAlgorithm;
}

export function registerDecrypt(program: Command): void {
  const cmd = program
    .command('decrypt')
    .description('decrypt what `custos encrypt` wrote (either form), from stdin (or --in) to stdout (or --out)')
    .option('--context <key=value>', 'encryption context entry given at encryption (repeatable)', collectKeyValue)
    .option('--key <id|alias>', 'require this key (the ciphertext names its key; needed for RSA keys)')
    .option('--in <file>', 'read the ciphertext from a file (default stdin)')
    .option('--out <file>', 'write the plaintext to a file, created mode 0600 (default stdout)')
    .addOption(new Option('--algorithm <algorithm>', 'encryption algorithm (RSA keys)').choices(ENCRYPTION_ALGORITHMS));
  addGlobalOptions(addPinFileOption(cmd)).action((o: DecryptOptions, c: Command) => decrypt(o, c));
}

async function decrypt(o: DecryptOptions, cmd: Command): Promise<void> {
  const input = openInput(o.in);
  const reader = new ByteReader(withProgress(input.stream, input.size));
  const context = o.context ? { encryptionContext: o.context } : {};
  const keyId = o.key === undefined ? {} : { keyId: o.key };
  const symmetric = o.algorithm === undefined || o.algorithm === 'SYMMETRIC_DEFAULT';
  await withKms(cmd, async (kms) => {
    if (symmetric && isStreamFormat(await reader.peek(STREAM_MAGIC.length))) {
      const unwrap = async (ciphertextBlob: Uint8Array) =>
        (await kms.decrypt({ ciphertextBlob, ...context, ...keyId })).plaintext;
      return writeAll(openOutput(o.out, 0o600), decryptStream(reader, unwrap));
    }
    const ciphertextBlob = await reader.read(MAX_CIPHERTEXT_BYTES + 1);
    if (ciphertextBlob.length === 0 || ciphertextBlob.length > MAX_CIPHERTEXT_BYTES) throw new InvalidCiphertextError();
    const { plaintext } = await kms.decrypt({
      ciphertextBlob,
      ...context,
      ...keyId,
      ...(o.algorithm && { encryptionAlgorithm: o.algorithm }),
    });
    await writeAll(openOutput(o.out, 0o600), [plaintext]);
  });
}
