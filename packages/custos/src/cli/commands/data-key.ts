// `custos data-key`: GenerateDataKey, printed as base64 (plaintext and ciphertextBlob) for envelope encryption by other tools.
// Must not import the store, service or api.
import { DATA_KEY_SPECS, type DataKeySpec } from '@custos/contract';
import { type Command, Option } from 'commander';
import { addGlobalOptions, addPinFileOption, collectKeyValue, withKms } from '../options.js';
import { printFields, printResult } from '../output.js';

interface DataKeyOptions {
  key: string;
  spec: DataKeySpec;
  context?: Record<string, string>;
}

export function registerDataKey(program: Command): void {
  const cmd = program
    .command('data-key')
    .description('generate a data key: its plaintext and its ciphertext blob under a key, base64')
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of a symmetric ENCRYPT_DECRYPT key')
    .addOption(new Option('--spec <spec>', 'data key spec').choices(DATA_KEY_SPECS).default('AES_256'))
    .option('--context <key=value>', 'encryption context entry (repeatable)', collectKeyValue);
  addGlobalOptions(addPinFileOption(cmd)).action((o: DataKeyOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const dk = await kms.generateDataKey({
        keyId: o.key,
        keySpec: o.spec,
        ...(o.context && { encryptionContext: o.context }),
      });
      const result = { keyId: dk.keyId, plaintext: dk.plaintext, ciphertextBlob: dk.ciphertextBlob };
      printResult(g.json, result, (r) => {
        printFields([
          ['KeyId', r.keyId],
          ['Plaintext', r.plaintext],
          ['CiphertextBlob', r.ciphertextBlob],
        ]);
      });
      dk.plaintext.fill(0);
    }),
  );
}
