// `custos operator rotate-root` (through the running server: POST then GET /v1/sys/rotate-root until done, with a
// progress bar on a terminal) and `custos operator migrate-root --to file|pkcs11|shamir` (on a stopped data directory or
// cluster: the new root is named on this command line, never in a request). Must not import the store or service;
// imports the api dynamically, inside the action.
import { type Command, Option } from 'commander';
// Types only (erased at runtime): what this command builds for migrateRootOffline and what it reports.
import type { RotationProgress } from '../../api/root-migration.js';
import { CliError, UsageError } from '../errors.js';
import { addGlobalOptions, DEFAULT_DATA_DIR, globalOptions, integer, resolveConnection } from '../options.js';
import { printJson } from '../output.js';
import { migration, type MigrateOptions } from './operator-root-settings.js';
import { rootOfTrustOptions, storeOptions } from './server-options.js';

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

function report(p: RotationProgress, json: boolean, after: string, quiet = false): void {
  if (p.error) throw new CliError(p.error.code, `${p.error.message} (re-run the command to resume)`);
  if (quiet) return;
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

/** Prints a new Shamir root's shares, once (as `custos operator init` does), before any key is re-wrapped. */
function printShares(json: boolean, created: { unsealShares: string[]; threshold: number }): void {
  process.stderr.write(
    `custos: these ${String(created.unsealShares.length)} unseal shares of the NEW root key are shown ONCE and ` +
      `stored nowhere; any ${String(created.threshold)} of them unseal the server. Keep them before anything else: ` +
      'an interrupted migration is resumed with them (--shamir-share-file).\n',
  );
  if (json) printJson({ unsealShares: created.unsealShares, threshold: created.threshold });
  else
    process.stdout.write(`${created.unsealShares.map((share, i) => `share ${String(i + 1)}: ${share}`).join('\n')}\n`);
}

async function migrate(cmd: Command, o: MigrateOptions): Promise<void> {
  const g = globalOptions(cmd);
  const json = g.json === true;
  const dataDir = g.dataDir ?? process.env.CUSTOS_DATA_DIR ?? DEFAULT_DATA_DIR;
  const { source, unsealShares, target, flags } = await migration(o, dataDir);
  const { rootOfTrust, ...fileRoot } = rootOfTrustOptions(source);
  const open = {
    dataDir: source.dataDir,
    store: storeOptions(source),
    ...fileRoot,
    ...(rootOfTrust !== undefined && {
      rootOfTrust:
        rootOfTrust.kind === 'shamir' ? { kind: 'shamir' as const, unsealShares: unsealShares ?? [] } : rootOfTrust,
    }),
  };
  const { migrateRootOffline } = await import('../../api/root-migration.js');
  const creates = 'shares' in target;
  const view = await progressView(json);
  let p: RotationProgress;
  try {
    p = await migrateRootOffline({
      ...open,
      target: creates
        ? {
            ...target,
            onShares: (created) => {
              printShares(json, created);
            },
          }
        : target,
      onProgress: (q) => {
        view.update(q);
      },
    });
  } finally {
    view.stop();
  }
  // Under --json a new Shamir root's one document is its shares (printed first); the outcome is the exit status.
  report(p, json, `root migrated to ${o.to}`, json && creates);
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
    .addOption(
      new Option('--to <kind>', 'the new root of trust').choices(['file', 'pkcs11', 'shamir']).makeOptionMandatory(),
    )
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
    .option('--shares <n>', '--to shamir: unseal shares to make, printed ONCE (2..255)', integer('--shares', 2, 255))
    .option('--threshold <t>', '--to shamir: shares needed to unseal (2..shares)', integer('--threshold', 2, 255))
    .option('--shamir-share-file <file>', '--to shamir: resume an interrupted run with the shares it printed')
    .option('--from-shamir-share-file <file>', 'the current root is shamir: its shares, one per line (- for stdin)')
    .option('--database-url <url>', 'PostgreSQL store (stop every node first)')
    .option('--database-schema <name>', "PostgreSQL schema of Custos's tables");
  addGlobalOptions(migrateCmd).action((o: MigrateOptions, c: Command) => migrate(c, o));
}
