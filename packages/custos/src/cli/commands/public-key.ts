// `custos public-key`: GetPublicKey as PEM (from the SPKI DER) or as the service's JWK.
// Must not import the store, service or api.
import { type Command, Option } from 'commander';
import { openOutput, writeAll } from '../io.js';
import { addGlobalOptions, withKms } from '../options.js';
import { textOrJson, toJson } from '../output.js';
import { serves } from '../serves.js';

/** PEM of a SubjectPublicKeyInfo (RFC 7468 §13): base64 in 64-character lines between the labels. */
function spkiToPem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

interface PublicKeyOptions {
  key: string;
  format: 'pem' | 'jwk';
  out?: string;
}

export function registerPublicKey(program: Command): void {
  const cmd = serves(program.command('public-key'), 'getPublicKey')
    .description('print the public key of an asymmetric key')
    .requiredOption('--key <id|alias>', 'key id, ARN or alias')
    .addOption(
      new Option(
        '--format <format>',
        'pem (SPKI) or jwk; --json prints the whole GetPublicKey result (publicKey as base64 DER)',
      )
        .choices(['pem', 'jwk'])
        .default('pem'),
    )
    .option('--out <file>', 'write to a file (default stdout)');
  addGlobalOptions(cmd).action((o: PublicKeyOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const result = await kms.getPublicKey({ keyId: o.key });
      const text = o.format === 'jwk' ? `${toJson(result.jwk)}\n` : spkiToPem(result.publicKey);
      await writeAll(openOutput(o.out), [textOrJson(g.json, result, text)]);
    }),
  );
}
