// `custos decrypt`: reverses `custos encrypt`, telling the KMS blob (0x01) from the envelope stream ('CSTE') by the first bytes.
// Must not import the store, service or api. Streams the envelope form; a failure removes a partial --out file, and
// to stdout nothing is written before the stream has verified where the input allows it (decrypt-stream.ts).
import { ByteReader, STREAM_MAGIC, decryptStream, isStreamFormat } from '@custos/client/stream';
import {
  ENCRYPTION_ALGORITHMS,
  type EncryptionAlgorithm,
  InvalidCiphertextError,
  type Kms,
  MAX_CIPHERTEXT_BYTES,
  isKmsError,
} from '@custos/contract';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { openInput, openOutput, withProgress, writeAll } from '../io.js';
import { addGlobalOptions, addPinFileOption, collectKeyValue, integer, withKms } from '../options.js';
import { printJson } from '../output.js';
import { serves } from '../serves.js';
import { DEFAULT_HOLD_BYTES, writeVerifiedStream } from './decrypt-stream.js';

interface DecryptOptions {
  context?: Record<string, string>;
  key?: string;
  in?: string;
  out?: string;
  algorithm?: EncryptionAlgorithm;
  hold: number;
}

export function registerDecrypt(program: Command): void {
  const cmd = serves(program.command('decrypt'), 'decrypt')
    .description('decrypt what `custos encrypt` wrote (either form), from stdin (or --in) to stdout (or --out)')
    .option('--context <key=value>', 'encryption context entry given at encryption (repeatable)', collectKeyValue)
    .option('--key <id|alias>', 'require this key (the ciphertext names its key; needed for RSA keys)')
    .option('--in <file>', 'read the ciphertext from a file (default stdin)')
    .option('--out <file>', 'write the plaintext to a file, created mode 0600 (default stdout)')
    .addOption(new Option('--algorithm <algorithm>', 'encryption algorithm (RSA keys)').choices(ENCRYPTION_ALGORITHMS))
    .addOption(
      new Option(
        '--hold <bytes>',
        'plaintext of an envelope stream held in memory before any is written to stdout (a damaged stream writes nothing)',
      )
        .argParser(integer('--hold', 0, 2 ** 31))
        .default(DEFAULT_HOLD_BYTES, '64 MiB'),
    );
  addGlobalOptions(addPinFileOption(cmd)).action((o: DecryptOptions, c: Command) => decrypt(o, c));
}

/** A hint when the cause is knowable: an RSA key's ciphertext needs its algorithm named. */
async function rsaHint(kms: Kms, o: DecryptOptions, err: unknown): Promise<unknown> {
  if (o.key === undefined || o.algorithm !== undefined) return err;
  if (!isKmsError(err) || err.code !== 'INVALID_CIPHERTEXT') return err;
  const spec = await kms.describeKey({ keyId: o.key }).then(
    (r) => r.keyMetadata.keySpec,
    () => undefined,
  );
  if (spec?.startsWith('RSA_') !== true) return err;
  return new UsageError(
    `${o.key} is an ${spec} key: RSA keys need --algorithm RSAES_OAEP_SHA_1|RSAES_OAEP_SHA_256 (the one used to encrypt)`,
  );
}

async function decrypt(o: DecryptOptions, cmd: Command): Promise<void> {
  const input = openInput(o.in);
  const reader = new ByteReader(withProgress(input.stream, input.size));
  const context = o.context ? { encryptionContext: o.context } : {};
  const keyId = o.key === undefined ? {} : { keyId: o.key };
  const symmetric = o.algorithm === undefined || o.algorithm === 'SYMMETRIC_DEFAULT';
  await withKms(cmd, async (kms, g) => {
    if (symmetric && isStreamFormat(await reader.peek(STREAM_MAGIC.length))) {
      if (g.json) throw new UsageError('an envelope stream (over 4096 bytes) decrypts to bytes, not JSON: drop --json');
      const unwrap = async (ciphertextBlob: Uint8Array) =>
        (await kms.decrypt({ ciphertextBlob, ...context, ...keyId })).plaintext;
      if (o.out !== undefined && o.out !== '-')
        return writeAll(openOutput(o.out, 0o600), decryptStream(reader, unwrap));
      const file = o.in !== undefined && o.in !== '-' && input.size !== undefined ? o.in : undefined;
      const again =
        file === undefined ? undefined : () => decryptStream(new ByteReader(openInput(file).stream), unwrap);
      return writeVerifiedStream(decryptStream(reader, unwrap), process.stdout, o.hold, again);
    }
    const ciphertextBlob = await reader.read(MAX_CIPHERTEXT_BYTES + 1);
    if (ciphertextBlob.length === 0 || ciphertextBlob.length > MAX_CIPHERTEXT_BYTES) throw new InvalidCiphertextError();
    const result = await kms
      .decrypt({
        ciphertextBlob,
        ...context,
        ...keyId,
        ...(o.algorithm && { encryptionAlgorithm: o.algorithm }),
      })
      .catch(async (err: unknown) => {
        throw await rsaHint(kms, o, err);
      });
    if (g.json) printJson(result);
    else await writeAll(openOutput(o.out, 0o600), [result.plaintext]);
  });
}
