// `custos data-key-pair`: GenerateDataKeyPair (the private key in plaintext too) or, with --without-plaintext,
// GenerateDataKeyPairWithoutPlaintext. Must not import the store, service or api.
import { DATA_KEY_PAIR_SPECS, type DataKeyPairSpec } from '@custos/contract';
import { type Command, Option } from 'commander';
import { addGlobalOptions, collectKeyValue, withKms } from '../options.js';
import { printFields, printResult } from '../output.js';
import { serves } from '../serves.js';

interface DataKeyPairOptions {
  key: string;
  spec: DataKeyPairSpec;
  context?: Record<string, string>;
  withoutPlaintext?: boolean;
}

export function registerDataKeyPair(program: Command): void {
  const cmd = serves(program.command('data-key-pair'), 'generateDataKeyPair', 'generateDataKeyPairWithoutPlaintext')
    .description(
      'generate a key pair: its public key (SPKI DER), and its private key (PKCS#8 DER) encrypted under a key and, unless --without-plaintext, in plaintext; base64',
    )
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of a symmetric ENCRYPT_DECRYPT key')
    .addOption(new Option('--spec <spec>', 'key pair spec').choices(DATA_KEY_PAIR_SPECS).makeOptionMandatory())
    .option('--context <key=value>', 'encryption context entry (repeatable)', collectKeyValue)
    .option('--without-plaintext', 'leave the plaintext private key out (GenerateDataKeyPairWithoutPlaintext)');
  addGlobalOptions(cmd).action((o: DataKeyPairOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const request = {
        keyId: o.key,
        keyPairSpec: o.spec,
        ...(o.context && { encryptionContext: o.context }),
      };
      if (o.withoutPlaintext) {
        const r = await kms.generateDataKeyPairWithoutPlaintext(request);
        printResult(g.json, r, () => {
          printFields([
            ['KeyId', r.keyId],
            ['KeyPairSpec', r.keyPairSpec],
            ['PublicKey', r.publicKey],
            ['PrivateKeyCiphertextBlob', r.privateKeyCiphertextBlob],
          ]);
        });
        return;
      }
      const r = await kms.generateDataKeyPair(request);
      try {
        printResult(g.json, r, () => {
          printFields([
            ['KeyId', r.keyId],
            ['KeyPairSpec', r.keyPairSpec],
            ['PublicKey', r.publicKey],
            ['PrivateKeyCiphertextBlob', r.privateKeyCiphertextBlob],
            ['PrivateKeyPlaintext', r.privateKeyPlaintext],
          ]);
        });
      } finally {
        r.privateKeyPlaintext.fill(0);
      }
    }),
  );
}
