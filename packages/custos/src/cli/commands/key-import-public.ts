// `custos key import-public --in <file> --usage <usage>`: a public key (PEM, DER or JWK file) imported as a key of its
// own (ImportPublicKey), usable to verify and to encrypt. Must not import the store, service or api.
import { KEY_SPECS, KEY_USAGES, type ImportPublicKeyRequest, type KeySpec, type KeyUsage } from '@custos/contract';
import { type Command, Option } from 'commander';
import { readFileOption } from '../bytes.js';
import { addGlobalOptions, collectKeyValue, withKms } from '../options.js';
import { printResult } from '../output.js';
import { serves } from '../serves.js';
import { printMetadata } from './key.js';

interface ImportPublicOptions {
  in: string;
  usage: KeyUsage;
  spec?: KeySpec;
  description?: string;
  publishJwk?: boolean;
  tag?: Record<string, string>;
}

export function registerKeyImportPublic(key: Command): void {
  const cmd = serves(key.command('import-public'), 'importPublicKey')
    .description('import a public key alone (SubjectPublicKeyInfo PEM or DER, or a public JWK): verify and encrypt')
    .requiredOption('--in <file>', 'the public key file: PEM (PUBLIC KEY), DER or JWK JSON')
    .addOption(
      new Option('--usage <usage>', 'SIGN_VERIFY, or ENCRYPT_DECRYPT for RSA')
        .choices(KEY_USAGES)
        .makeOptionMandatory(),
    )
    .addOption(new Option('--spec <spec>', 'the spec the key must have (default: the one it has)').choices(KEY_SPECS))
    .option('--description <text>', 'description')
    .option('--publish-jwk', 'show the public JWK at /.well-known/jwks.json (signing keys)')
    .option('--tag <key=value>', 'tag (repeatable)', collectKeyValue);
  addGlobalOptions(cmd).action((o: ImportPublicOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const request: ImportPublicKeyRequest = {
        publicKey: readFileOption(o.in, '--in'),
        keyUsage: o.usage,
        ...(o.spec && { keySpec: o.spec }),
        ...(o.description !== undefined && { description: o.description }),
        ...(o.publishJwk && { publishJwk: true }),
        ...(o.tag && { tags: Object.entries(o.tag).map(([tagKey, tagValue]) => ({ tagKey, tagValue })) }),
      };
      const { keyMetadata } = await kms.importPublicKey(request);
      printResult(g.json, keyMetadata, printMetadata);
    }),
  );
}
