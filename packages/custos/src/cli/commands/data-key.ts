// `custos data-key`: GenerateDataKey, printed as base64 (plaintext and ciphertextBlob) for envelope encryption by other tools.
// Must not import the store, service or api.
import { DATA_KEY_SPECS, type DataKeySpec } from '@custos/contract';
import { type Command, Option } from 'commander';
import { addGlobalOptions, addPinFileOption, collectKeyValue, withKms } from '../options.js';
import { printFields, printResult } from '../output.js';
import { serves } from '../serves.js';

interface DataKeyOptions {
  key: string;
  spec: DataKeySpec;
  context?: Record<string, string>;
  withoutPlaintext?: boolean;
}

export function registerDataKey(program: Command): void {
  const cmd = serves(program.command('data-key'), 'generateDataKey', 'generateDataKeyWithoutPlaintext')
    .description('generate a data key: its plaintext and its ciphertext blob under a key, base64')
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of a symmetric ENCRYPT_DECRYPT key')
    .addOption(new Option('--spec <spec>', 'data key spec').choices(DATA_KEY_SPECS).default('AES_256'))
    .option('--context <key=value>', 'encryption context entry (repeatable)', collectKeyValue)
    .option('--without-plaintext', 'only the ciphertext blob (GenerateDataKeyWithoutPlaintext)');
  addGlobalOptions(addPinFileOption(cmd)).action((o: DataKeyOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const request = { keyId: o.key, keySpec: o.spec, ...(o.context && { encryptionContext: o.context }) };
      if (o.withoutPlaintext) {
        const r = await kms.generateDataKeyWithoutPlaintext(request);
        const result = { keyId: r.keyId, ciphertextBlob: r.ciphertextBlob };
        printResult(g.json, result, (x) => {
          printFields([
            ['KeyId', x.keyId],
            ['CiphertextBlob', x.ciphertextBlob],
          ]);
        });
        return;
      }
      const dk = await kms.generateDataKey(request);
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
