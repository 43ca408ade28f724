// `custos key jwk <key>`: the key's public JWK (GetJwk), and with --publish / --unpublish whether
// /.well-known/jwks.json shows it (UpdateKeyPublishJwk). Must not import the store, service or api.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { openOutput, writeAll } from '../io.js';
import { addGlobalOptions, withKms } from '../options.js';
import { textOrJson, toJson } from '../output.js';
import { serves } from '../serves.js';

interface KeyJwkOptions {
  publish?: boolean;
  unpublish?: boolean;
  out?: string;
}

export function registerKeyJwk(key: Command): void {
  const cmd = serves(key.command('jwk'), 'getJwk', 'updateKeyPublishJwk')
    .description("print the key's public JWK; --publish / --unpublish set whether /.well-known/jwks.json shows it")
    .argument('<key>', 'key id, ARN or alias of an asymmetric key')
    .option('--publish', 'show the key in /.well-known/jwks.json (enabled signing keys)')
    .option('--unpublish', 'stop showing it there')
    .option('--out <file>', 'write the JWK to a file (default stdout)');
  addGlobalOptions(cmd).action((keyId: string, o: KeyJwkOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      if (o.publish && o.unpublish) throw new UsageError('--publish and --unpublish exclude each other');
      if (o.publish || o.unpublish) await kms.updateKeyPublishJwk({ keyId, publishJwk: o.publish === true });
      const result = await kms.getJwk({ keyId });
      await writeAll(openOutput(o.out), [textOrJson(g.json, result, `${toJson(result.jwk)}\n`)]);
    }),
  );
}
