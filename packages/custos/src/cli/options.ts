// The options every Kms command shares (--endpoint, --token, --data-dir, --json), their resolution, and value parsers.
// Must not import the store, service or api: commands reach keys only through a Kms (RemoteKms).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import { ROLES, type Kms, type Role } from '@custos/contract';
import { type Command, Option } from 'commander';
import { UsageError } from './errors.js';

const DEFAULT_ENDPOINT = 'http://127.0.0.1:7300';
export const DEFAULT_DATA_DIR = './data';
const ADMIN_TOKEN_FILE = 'admin.token';

/** The shared options as parsed (any of them may come from the command or from `custos` itself). */
export interface GlobalOptions {
  endpoint?: string | undefined;
  token?: string | undefined;
  dataDir?: string | undefined;
  json?: boolean | undefined;
  /** Key PINs: the file holding the PIN of the (PIN-protected) key the command uses. */
  pinFile?: string | undefined;
}

/**
 * Adds the shared options to a command. They are declared on `custos` too (positional there, so
 * `custos --json key list` and `custos key list --json` both work); no defaults here, so that
 * {@link globalOptions} can tell "not given" from "given".
 */
export function addGlobalOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--endpoint <url>', `server URL (env CUSTOS_ENDPOINT, default ${DEFAULT_ENDPOINT})`))
    .addOption(new Option('--token <token>', `bearer token (env CUSTOS_TOKEN, else <data-dir>/${ADMIN_TOKEN_FILE})`))
    .addOption(
      new Option(
        '--data-dir <dir>',
        `local data directory whose ${ADMIN_TOKEN_FILE} is used when no token is given (env CUSTOS_DATA_DIR, default ${DEFAULT_DATA_DIR})`,
      ),
    )
    .addOption(new Option('--json', 'machine-readable JSON output'));
}

/** The shared options of a command, the command's own value winning over its parents'. */
export function globalOptions(cmd: Command): GlobalOptions {
  const out: GlobalOptions = {};
  for (let c: Command | null = cmd; c; c = c.parent) {
    const o = c.opts<GlobalOptions>();
    out.endpoint ??= o.endpoint;
    out.token ??= o.token;
    out.dataDir ??= o.dataDir;
    out.json ??= o.json;
    out.pinFile ??= o.pinFile;
  }
  return out;
}

/** Endpoint and token: flag, then environment, then default (the token: the data directory's admin token file). */
export function resolveConnection(
  opts: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
): { endpoint: string; token?: string } {
  const endpoint = opts.endpoint ?? nonEmpty(env.CUSTOS_ENDPOINT) ?? DEFAULT_ENDPOINT;
  try {
    new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint is not a URL: '${endpoint}'`);
  }
  const token =
    opts.token ??
    nonEmpty(env.CUSTOS_TOKEN) ??
    readTokenFile(opts.dataDir ?? nonEmpty(env.CUSTOS_DATA_DIR) ?? DEFAULT_DATA_DIR);
  return token === undefined ? { endpoint } : { endpoint, token };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function readTokenFile(dataDir: string): string | undefined {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  if (!existsSync(file)) return undefined;
  return nonEmpty(readFileSync(file, 'utf8').trim());
}

/** A RemoteKms for the command's endpoint and token. */
function openKms(opts: GlobalOptions): Kms {
  const { endpoint, token } = resolveConnection(opts);
  if (token === undefined) {
    throw new UsageError(
      `no token: pass --token, set CUSTOS_TOKEN, or run where <data-dir>/${ADMIN_TOKEN_FILE} exists (--data-dir, CUSTOS_DATA_DIR)`,
    );
  }
  const keyPin = opts.pinFile === undefined ? undefined : readPinFile(opts.pinFile);
  return new RemoteKms({ endpoint, token, ...(keyPin !== undefined && { keyPin }) });
}

/**
 * Adds `--pin-file <file>` to a command that uses keys: the PIN of a PIN-protected key (docs/authorization.md, "Key
 * PINs"), read from a file so that it appears in no shell history or process list.
 * @example addGlobalOptions(addPinFileOption(program.command('encrypt')))
 */
export function addPinFileOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('--pin-file <file>', "file whose first line is the key's PIN (keys created with a PIN policy)"),
  );
}

/** The PIN in a --pin-file: its first line, without the line end. */
export function readPinFile(file: string, option = '--pin-file'): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${option}: cannot read ${file}`);
  }
  const pin = text.split(/\r?\n/, 1)[0] ?? '';
  if (!/^[\x21-\x7e]+$/.test(pin)) {
    throw new UsageError(`${option}: the first line must be the PIN (visible ASCII characters, no spaces)`);
  }
  return pin;
}

/**
 * Runs `fn` with a Kms opened from the command's shared options, and closes it afterwards.
 *
 * @example
 * .action((key, _o, cmd: Command) => withKms(cmd, (kms, g) => kms.enableKey({ keyId: key })))
 */
export async function withKms<T>(cmd: Command, fn: (kms: Kms, opts: GlobalOptions) => Promise<T>): Promise<T> {
  const opts = globalOptions(cmd);
  const kms = openKms(opts);
  try {
    return await fn(kms, opts);
  } finally {
    await kms.close();
  }
}

// ---- value parsers for commander (they throw UsageError, which prints as one line, exit 2) ----

/** Collects repeatable `k=v` options into a record (`--context tenant=acme --context app=x`). */
export function collectKeyValue(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const [k, v] = splitKeyValue(value, 'key=value');
  return { ...previous, [k]: v };
}

/** Splits `k=v` at the first '='. */
export function splitKeyValue(value: string, what: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`expected ${what}, got '${value}'`);
  return [value.slice(0, at), value.slice(at + 1)];
}

/** Collects a repeatable option into an array. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Collects a repeatable `--role`, refusing names that are not roles. */
export function collectRole(value: string, previous: Role[] | undefined): Role[] {
  if (!(ROLES as readonly string[]).includes(value))
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got '${value}'`);
  return collect(value, previous) as Role[];
}

/** Every item of a paged listing: asks for page after page until one is not truncated. */
export async function listAll<P extends { truncated: boolean; nextMarker?: string | undefined }, T>(
  fetchPage: (marker: string | undefined) => Promise<P>,
  itemsOf: (page: P) => readonly T[],
): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await fetchPage(marker);
    out.push(...itemsOf(page));
    marker = page.truncated ? page.nextMarker : undefined;
  } while (marker);
  return out;
}

/** A parser for an integer option within [min, max]. */
export function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new UsageError(`${name} expects an integer, got '${value}'`);
    const n = Number(value);
    if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

/** `alias/name` as the service spells it; a bare `name` gets the prefix. */
export function aliasName(value: string): string {
  return value.startsWith('alias/') ? value : `alias/${value}`;
}
