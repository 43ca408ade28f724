// `custos operator rotate-root` (through the running server: POST then GET /v1/sys/rotate-root until done, with a
// progress bar on a terminal) and `custos operator migrate-root --to file|pkcs11` (on a stopped data directory or
// cluster: the new root is named on this command line, never in a request). Must not import the store or service;
// imports the api dynamically, inside the action.
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
// Types only (erased at runtime): what this command builds for migrateRootOffline and what it reports.
import type { RootTarget, RotationProgress } from '../../api/root-migration.js';
import { CliError, UsageError } from '../errors.js';
import { addGlobalOptions, DEFAULT_DATA_DIR, globalOptions, resolveConnection } from '../options.js';
import { printJson } from '../output.js';
import { readSecretFile, rootOfTrustOptions, storeOptions, type ServerSettings } from './server.js';

const POLL_MS = 250;

/** Shows progress on stderr: a bar on a terminal, a line per change otherwise; nothing under --json. */
async function progressView(json: boolean): Promise<{ update(p: RotationProgress): void; stop(): void }> {
  if (json) return { update: () => undefined, stop: () => undefined };
  if (!process.stderr.isTTY) {
    let last = '';
    return {
      update: (p) => {
        const line = `custos: ${p.state}: ${String(p.done)}/${String(p.total)} re-wrapped`;
        if (line !== last) process.stderr.write(`${line}\n`);
        last = line;
      },
      stop: () => undefined,
    };
  }
  const { default: cliProgress } = await import('cli-progress'); // loaded only when a bar is shown
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, clearOnComplete: true, hideCursor: true, format: '{bar} {value}/{total} re-wrapped' },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0);
  return {
    update: (p) => {
      bar.setTotal(Math.max(p.total, 1));
      bar.update(p.done);
    },
    stop: () => {
      bar.stop();
    },
  };
}

function report(p: RotationProgress, json: boolean, after: string): void {
  if (p.error) throw new CliError(p.error.code, `${p.error.message} (re-run the command to resume)`);
  if (json) printJson(p);
  else
    process.stdout.write(`${after} (new key check value ${p.newKeyCheckValue ?? '-'}, ${String(p.done)} re-wrapped)\n`);
}

async function sysCall(cmd: Command, method: 'GET' | 'POST'): Promise<RotationProgress> {
  const { endpoint, token } = resolveConnection(globalOptions(cmd));
  if (token === undefined) throw new UsageError('no token: pass --token, set CUSTOS_TOKEN, or use --data-dir');
  let res: Response;
  try {
    res = await fetch(new URL('/v1/sys/rotate-root', endpoint), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(method === 'POST' && { 'content-type': 'application/json' }) },
      ...(method === 'POST' && { body: '{}' }),
    });
  } catch (cause) {
    throw new CliError('UNAVAILABLE', `cannot reach the server at ${endpoint}`, { cause });
  }
  const body = (await res.json()) as RotationProgress & { error?: { code: string; message: string } | null };
  if (!res.ok) throw new CliError(body.error?.code ?? 'INTERNAL', body.error?.message ?? `HTTP ${String(res.status)}`);
  return body;
}

async function rotate(cmd: Command, o: { status?: boolean; wait: boolean }): Promise<void> {
  const json = globalOptions(cmd).json === true;
  if (o.status === true) {
    const p = await sysCall(cmd, 'GET');
    if (json) printJson(p);
    else
      process.stdout.write(
        `${p.state}${p.running ? ' (running)' : ''}: ${String(p.done)}/${String(p.total)} re-wrapped\n`,
      );
    return;
  }
  let p = await sysCall(cmd, 'POST');
  if (!o.wait) {
    if (json) printJson(p);
    else process.stdout.write('custos: root rotation started; follow it with `custos operator rotate-root --status`\n');
    return;
  }
  const view = await progressView(json);
  try {
    while (p.running) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      p = await sysCall(cmd, 'GET');
      view.update(p);
    }
  } finally {
    view.stop();
  }
  report(p, json, 'root key rotated');
}

interface MigrateOptions {
  to: 'file' | 'pkcs11';
  rootKeyFile?: string;
  passphraseFile?: string;
  fromPassphraseFile?: string;
  pkcs11Module?: string;
  pkcs11TokenLabel?: string;
  pkcs11PinFile?: string;
  pkcs11KeyLabel?: string;
  fromPkcs11Module?: string;
  fromPkcs11TokenLabel?: string;
  fromPkcs11PinFile?: string;
  fromPkcs11KeyLabel?: string;
  databaseUrl?: string;
  databaseSchema?: string;
}

/** The current root (`--from-*`, `--root-key-file`) and the target (`--pkcs11-*` or `--passphrase-file`). */
function migration(o: MigrateOptions, dataDir: string): { source: ServerSettings; target: RootTarget; flags: string } {
  const base = { dataDir, listen: '', ...(o.databaseUrl !== undefined && { databaseUrl: o.databaseUrl }) };
  const withSchema = { ...base, ...(o.databaseSchema !== undefined && { databaseSchema: o.databaseSchema }) };
  if (o.to === 'pkcs11') {
    const settings: ServerSettings = { ...withSchema, rootOfTrust: 'pkcs11' };
    if (o.pkcs11Module !== undefined) settings.pkcs11Module = o.pkcs11Module;
    if (o.pkcs11TokenLabel !== undefined) settings.pkcs11TokenLabel = o.pkcs11TokenLabel;
    if (o.pkcs11PinFile !== undefined) settings.pkcs11PinFile = o.pkcs11PinFile;
    if (o.pkcs11KeyLabel !== undefined) settings.pkcs11KeyLabel = o.pkcs11KeyLabel;
    const target = rootOfTrustOptions(settings).rootOfTrust;
    if (target?.kind !== 'pkcs11') throw new UsageError('--to pkcs11 needs the --pkcs11-* options');
    const source: ServerSettings = { ...withSchema, rootOfTrust: 'file' };
    if (o.fromPassphraseFile !== undefined) source.passphraseFile = o.fromPassphraseFile;
    if (o.rootKeyFile !== undefined) source.rootKeyFile = o.rootKeyFile;
    const flags =
      `--root-of-trust pkcs11 --pkcs11-module ${resolve(target.module)} --pkcs11-token-label ${target.tokenLabel} ` +
      `--pkcs11-pin-file <file>${target.keyLabel !== undefined ? ` --pkcs11-key-label ${target.keyLabel}` : ''}` +
      ' (and no --passphrase-file or --root-key-file)';
    return { source, target, flags };
  }
  const source: ServerSettings = { ...withSchema, rootOfTrust: 'pkcs11' };
  if (o.fromPkcs11Module !== undefined) source.pkcs11Module = o.fromPkcs11Module;
  if (o.fromPkcs11TokenLabel !== undefined) source.pkcs11TokenLabel = o.fromPkcs11TokenLabel;
  if (o.fromPkcs11PinFile !== undefined) source.pkcs11PinFile = o.fromPkcs11PinFile;
  if (o.fromPkcs11KeyLabel !== undefined) source.pkcs11KeyLabel = o.fromPkcs11KeyLabel;
  const target: RootTarget = {
    kind: 'file',
    ...(o.rootKeyFile !== undefined && { rootKeyFile: o.rootKeyFile }),
    ...(o.passphraseFile !== undefined && { passphrase: readSecretFile(o.passphraseFile, 'passphrase') }),
  };
  const flags =
    `--root-of-trust file${o.passphraseFile !== undefined ? ' --passphrase-file <file>' : ''}` +
    `${o.rootKeyFile !== undefined ? ` --root-key-file ${o.rootKeyFile}` : ''} (and no --pkcs11-* options)`;
  return { source, target, flags };
}

async function migrate(cmd: Command, o: MigrateOptions): Promise<void> {
  const g = globalOptions(cmd);
  const json = g.json === true;
  const { source, target, flags } = migration(o, g.dataDir ?? process.env.CUSTOS_DATA_DIR ?? DEFAULT_DATA_DIR);
  const { rootOfTrust, ...fileRoot } = rootOfTrustOptions(source);
  // The source is a file or a pkcs11 root (migration() names it); a Shamir root would need its shares here.
  if (rootOfTrust?.kind === 'shamir') throw new UsageError('migrate-root cannot move a Shamir root yet');
  const open = {
    dataDir: source.dataDir,
    store: storeOptions(source),
    ...fileRoot,
    ...(rootOfTrust !== undefined && { rootOfTrust }),
  };
  const { migrateRootOffline } = await import('../../api/root-migration.js');
  const view = await progressView(json);
  let p: RotationProgress;
  try {
    p = await migrateRootOffline({
      ...open,
      target,
      onProgress: (q) => {
        view.update(q);
      },
    });
  } finally {
    view.stop();
  }
  report(p, json, `root migrated to ${o.to}`);
  if (!json) process.stdout.write(`start the server from now on with: ${flags}\n`);
}

/** `rotate-root` and `migrate-root` under `custos operator`. */
export function registerRootCommands(operator: Command): void {
  const rotateCmd = operator
    .command('rotate-root')
    .description('make a new root key and re-wrap every key under it while the server serves (admin)')
    .option('--status', 'only report the progress of the current or last rotation')
    .option('--no-wait', 'start (or resume) it and return at once');
  addGlobalOptions(rotateCmd).action((o: { status?: boolean; wait: boolean }, c: Command) => rotate(c, o));

  const migrateCmd = operator
    .command('migrate-root')
    .description('move a stopped data directory or cluster to another kind of root of trust (re-run to resume)')
    .addOption(new Option('--to <kind>', 'the new root of trust').choices(['file', 'pkcs11']).makeOptionMandatory())
    .option('--root-key-file <file>', 'the root key file (default <data-dir>/root.key), on either side')
    .option('--passphrase-file <file>', '--to file: seal the new root key file with this passphrase')
    .option('--pkcs11-module <path.so>', '--to pkcs11: the PKCS#11 module library')
    .option('--pkcs11-token-label <label>', '--to pkcs11: the token to make the root key in')
    .option('--pkcs11-pin-file <file>', "--to pkcs11: file holding the token's user PIN")
    .option('--pkcs11-key-label <label>', '--to pkcs11: the root key label (default custos-root-key)')
    .option('--from-passphrase-file <file>', '--to pkcs11: the passphrase of the current root key file')
    .option('--from-pkcs11-module <path.so>', '--to file: the current PKCS#11 module library')
    .option('--from-pkcs11-token-label <label>', '--to file: the current token')
    .option('--from-pkcs11-pin-file <file>', "--to file: file holding the current token's user PIN")
    .option('--from-pkcs11-key-label <label>', '--to file: the current root key label')
    .option('--database-url <url>', 'PostgreSQL store (stop every node first)')
    .option('--database-schema <name>', "PostgreSQL schema of Custos's tables");
  addGlobalOptions(migrateCmd).action((o: MigrateOptions, c: Command) => migrate(c, o));
}
