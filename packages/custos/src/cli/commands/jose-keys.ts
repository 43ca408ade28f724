// `custos jwk generate|import`, `custos jose sign|verify` and `custos jwe encrypt|decrypt`: the jwk facade's
// operations (GenerateJwkKeyPair, ImportJwk, SignJose, VerifyJose, EncryptJwe, DecryptJwe).
// Must not import the store, service or api. An imported private JWK is read from a file or stdin, never an argument.
import { type Jwk, MAX_JOSE_BYTES } from '@custos/contract';
import type { Command } from 'commander';
import { type BytesOut, readFileOption, readInput, writeResult } from '../bytes.js';
import { CliError, UsageError } from '../errors.js';
import { addGlobalOptions, collectKeyValue, withKms } from '../options.js';
import { printJson, toJson } from '../output.js';
import { serves } from '../serves.js';

function parseJwk(text: string): Jwk {
  try {
    const jwk: unknown = JSON.parse(text);
    if (jwk !== null && typeof jwk === 'object' && !Array.isArray(jwk) && typeof (jwk as Jwk).kty === 'string')
      return jwk as Jwk;
  } catch {
    // reported below
  }
  throw new UsageError('the JWK is not a JSON object with a kty');
}

interface KeyOut {
  description?: string;
  exportable?: boolean;
  publishJwk?: boolean;
}

function keyOptions(cmd: Command): Command {
  return cmd
    .option('--description <text>', 'description')
    .option('--exportable', 'allow ExportKey of the private key (audited)')
    .option('--publish-jwk', 'show the public JWK at /.well-known/jwks.json (signing keys)');
}

const keyFlags = (o: KeyOut) => ({
  ...(o.description !== undefined && { description: o.description }),
  ...(o.exportable && { exportable: true }),
  ...(o.publishJwk && { publishJwk: true }),
});

function printKid(json: boolean | undefined, r: { kid: string; jwk: unknown }): void {
  if (json) printJson(r);
  else process.stdout.write(`${toJson(r.jwk)}\n`);
}

function registerJwk(program: Command): void {
  const jwk = program.command('jwk').description('keys named by their JOSE algorithm');
  const generate = keyOptions(serves(jwk.command('generate'), 'generateJwkKeyPair'))
    .description(
      'generate a key pair for a JOSE algorithm (ES256, EdDSA, RS256, RSA-OAEP-256, ...); prints its public JWK',
    )
    .requiredOption('--alg <alg>', 'the JOSE algorithm')
    .option('--tag <key=value>', 'tag (repeatable)', collectKeyValue);
  addGlobalOptions(generate).action((o: KeyOut & { alg: string; tag?: Record<string, string> }, c: Command) =>
    withKms(c, async (kms, g) => {
      const tags = o.tag && Object.entries(o.tag).map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
      printKid(g.json, await kms.generateJwkKeyPair({ alg: o.alg, ...keyFlags(o), ...(tags && { tags }) }));
    }),
  );

  const imp = keyOptions(serves(jwk.command('import'), 'importJwk'))
    .description('import a private JWK from --in (or stdin) as a new key; prints its public JWK')
    .option('--in <file>', 'the private JWK (default stdin)')
    .option('--alg <alg>', 'the JOSE algorithm when the JWK names none (RSA keys)');
  addGlobalOptions(imp).action((o: KeyOut & { in?: string; alg?: string }, c: Command) =>
    withKms(c, async (kms, g) => {
      const text = await readInput(o.in, 64 * 1024, 'the JWK');
      try {
        const key = parseJwk(text.toString('utf8'));
        printKid(g.json, await kms.importJwk({ jwk: key, ...(o.alg !== undefined && { alg: o.alg }), ...keyFlags(o) }));
      } finally {
        text.fill(0);
      }
    }),
  );
}

interface JoseOptions extends BytesOut {
  key: string;
  alg?: string;
  in?: string;
}

function registerJose(program: Command): void {
  const jose = program.command('jose').description('JOSE-form signatures (raw r‖s for ES*) of a message');
  const sign = serves(jose.command('sign'), 'signJose')
    .description('sign stdin (or --in); the raw JOSE signature to stdout (or --out)')
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of a signing key')
    .option('--alg <alg>', "the JOSE algorithm (default: the key's)")
    .option('--in <file>', 'the message (default stdin)')
    .option('--out <file>', 'write the signature to a file (default stdout)')
    .option('--force', 'write the binary signature even to a terminal');
  addGlobalOptions(sign).action((o: JoseOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const message = await readInput(o.in, MAX_JOSE_BYTES, 'the message');
      const r = await kms.signJose({ keyId: o.key, message, ...(o.alg !== undefined && { alg: o.alg }) });
      await writeResult(g.json, o, r, r.signature, 'a binary signature');
    }),
  );
  const verify = serves(jose.command('verify'), 'verifyJose')
    .description('check a JOSE signature of stdin (or --in): exit 0 if valid, 1 if not')
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of a signing key')
    .requiredOption('--signature-file <file>', 'the raw JOSE signature')
    .option('--alg <alg>', "the JOSE algorithm (default: the key's)")
    .option('--in <file>', 'the message (default stdin)');
  addGlobalOptions(verify).action((o: JoseOptions & { signatureFile: string }, c: Command) =>
    withKms(c, async (kms, g) => {
      const signature = readFileOption(o.signatureFile, '--signature-file');
      const message = await readInput(o.in, MAX_JOSE_BYTES, 'the message');
      const r = await kms.verifyJose({ keyId: o.key, message, signature, ...(o.alg !== undefined && { alg: o.alg }) });
      if (g.json) printJson(r);
      if (!r.valid) throw new CliError('INVALID_SIGNATURE', 'the signature is not valid');
      if (!g.json) process.stdout.write('signature valid\n');
    }),
  );
}

function registerJwe(program: Command): void {
  const jwe = program.command('jwe').description('compact JWE (RSA-OAEP-256 or dir, with A256GCM) with Custos keys');
  const encrypt = serves(jwe.command('encrypt'), 'encryptJwe')
    .description('encrypt stdin (or --in) to a compact JWE on stdout (or --out)')
    .requiredOption('--key <id|alias>', 'key id, ARN or alias')
    .option('--in <file>', 'the plaintext (default stdin)')
    .option('--out <file>', 'write the JWE to a file (default stdout)');
  addGlobalOptions(encrypt).action((o: JoseOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const plaintext = await readInput(o.in, MAX_JOSE_BYTES, 'the plaintext');
      const r = await kms.encryptJwe({ keyId: o.key, plaintext });
      await writeResult(g.json, { ...o, force: true }, r, Buffer.from(`${r.jwe}\n`, 'utf8'), 'a JWE');
    }),
  );
  const decrypt = serves(jwe.command('decrypt'), 'decryptJwe')
    .description('decrypt a compact JWE from stdin (or --in) to stdout (or --out)')
    .requiredOption('--key <id|alias>', 'key id, ARN or alias')
    .option('--in <file>', 'the JWE (default stdin)')
    .option('--out <file>', 'write the plaintext to a file, created mode 0600 (default stdout)');
  addGlobalOptions(decrypt).action((o: JoseOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const jweText = (await readInput(o.in, 4 * MAX_JOSE_BYTES, 'the JWE')).toString('utf8').trim();
      const r = await kms.decryptJwe({ keyId: o.key, jwe: jweText });
      await writeResult(g.json, { ...o, force: true }, r, r.plaintext, 'plaintext', 0o600);
    }),
  );
}

export function registerJoseKeys(program: Command): void {
  registerJwk(program);
  registerJose(program);
  registerJwe(program);
}
