// `custos jwks`, `custos jws sign|verify` and `custos jwt sign`: JOSE with Custos keys (the signature is made in
// Custos; jose on the server encodes and verifies). Must not import the store, service or api.
import { readFileSync } from 'node:fs';
import { MAX_JOSE_BYTES } from '@custos/contract';
import type { Command } from 'commander';
import { CliError, UsageError } from '../errors.js';
import { openInput, openOutput, readAllBounded, writeAll } from '../io.js';
import { addGlobalOptions, addPinFileOption, integer, splitKeyValue, withKms } from '../options.js';
import { printJson, textOrJson, toJson } from '../output.js';
import { serves } from '../serves.js';

/** A JSON object given inline or as @file. */
function jsonObject(value: string, what: string): Record<string, unknown> {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (err) {
      throw new UsageError(
        `cannot read ${what} file '${value.slice(1)}' (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${what} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError(`${what} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const readText = async (path: string | undefined, what: string): Promise<string> =>
  (await readAllBounded(openInput(path).stream, 4 * MAX_JOSE_BYTES, what)).toString('utf8').trim();

interface JwsSignOptions {
  key: string;
  in?: string;
  header?: string;
  detached?: boolean;
  x5c?: boolean;
  out?: string;
}

interface JwsVerifyOptions {
  in?: string;
  payloadFile?: string;
}

interface JwtSignOptions {
  key: string;
  claims: string;
  expiresIn?: number;
  out?: string;
}

function registerJwks(program: Command): void {
  const cmd = serves(program.command('jwks'), 'listJwks')
    .description('print the JWK Set of the enabled asymmetric keys (keyrings have no filter yet: filter by tag)')
    .option('--tag <key[=value]>', 'only keys with this tag (and value)');
  addGlobalOptions(cmd).action((o: { tag?: string }, c: Command) =>
    withKms(c, async (kms) => {
      const [tagKey, tagValue] =
        o.tag === undefined ? [] : o.tag.includes('=') ? splitKeyValue(o.tag, '--tag') : [o.tag];
      const set = await kms.listJwks({
        ...(tagKey !== undefined && { tagKey }),
        ...(tagValue !== undefined && { tagValue }),
      });
      process.stdout.write(`${toJson(set)}\n`);
    }),
  );
}

function registerJws(program: Command): void {
  const jws = program.command('jws').description('JSON Web Signatures (RFC 7515) with Custos keys');
  const sign = serves(jws.command('sign'), 'signJws')
    .description('sign stdin (or --in) as a compact JWS; alg and kid are the key’s')
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of a SIGN_VERIFY key')
    .option('--in <file>', 'the payload (default stdin)')
    .option('--header <json|@file>', 'more protected header parameters (not alg, kid, x5c, crit)')
    .option('--detached', 'leave the payload out of the JWS')
    .option('--x5c', "put the key's certificate chain in the x5c header")
    .option('--out <file>', 'write the JWS to a file (default stdout)');
  addGlobalOptions(addPinFileOption(sign)).action(async (o: JwsSignOptions, c: Command) => {
    const payload = await readAllBounded(openInput(o.in).stream, MAX_JOSE_BYTES, 'the payload');
    await withKms(c, async (kms, g) => {
      const result = await kms.signJws({
        keyId: o.key,
        payload: base64url(payload),
        ...(o.header !== undefined && { protectedHeader: jsonObject(o.header, '--header') }),
        ...(o.detached && { detached: true }),
        ...(o.x5c && { includeX5c: true }),
      });
      await writeAll(openOutput(o.out), [textOrJson(g.json, result, `${result.jws}\n`)]);
    });
  });

  const verify = serves(jws.command('verify'), 'verifyJws')
    .description(
      'verify a compact JWS or JWT from stdin (or --in) with the key its kid names: exit 0 if valid, 1 if not',
    )
    .option('--in <file>', 'the JWS (default stdin)')
    .option('--payload-file <file>', 'the payload of a detached JWS');
  addGlobalOptions(addPinFileOption(verify)).action(async (o: JwsVerifyOptions, c: Command) => {
    const compact = await readText(o.in, 'the JWS');
    const payload = o.payloadFile === undefined ? undefined : base64url(readFileSync(o.payloadFile));
    await withKms(c, async (kms, g) => {
      const result = await kms.verifyJws({ jws: compact, ...(payload !== undefined && { payload }) });
      if (!result.valid) throw new CliError('INVALID_SIGNATURE', 'the JWS is not valid');
      if (g.json) printJson(result);
      else process.stdout.write(`JWS valid (${String(result.header?.alg)}, key ${String(result.header?.kid)})\n`);
    });
  });
}

function registerJwt(program: Command): void {
  const jwt = program.command('jwt').description('JSON Web Tokens (RFC 7519) signed by Custos keys');
  const sign = serves(jwt.command('sign'), 'signJwt')
    .description('sign a claims set as a JWT (iat set by Custos, exp with --expires-in, kid and alg the key’s)')
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of a SIGN_VERIFY key')
    .requiredOption('--claims <json|@file>', 'the claims, a JSON object')
    .option('--expires-in <seconds>', 'lifetime in seconds', integer('--expires-in', 1, 315_360_000))
    .option('--out <file>', 'write the JWT to a file (default stdout)');
  addGlobalOptions(addPinFileOption(sign)).action(async (o: JwtSignOptions, c: Command) => {
    const claims = jsonObject(o.claims, '--claims');
    await withKms(c, async (kms, g) => {
      const result = await kms.signJwt({
        keyId: o.key,
        claims,
        ...(o.expiresIn !== undefined && { expiresIn: o.expiresIn }),
      });
      await writeAll(openOutput(o.out), [textOrJson(g.json, result, `${result.jwt}\n`)]);
    });
  });
}

/** Registers `custos jwks`, `custos jws sign|verify` and `custos jwt sign`. */
export function registerJose(program: Command): void {
  registerJwks(program);
  registerJws(program);
  registerJwt(program);
}
