// `custos operator init|unseal|seal`: the Shamir root of trust's operator commands (init runs offline on a data
// directory; unseal and seal talk to a server). Must not import the store, service or api statically: init loads
// the service dynamically, as `custos audit export --verify` does.
import { errorFromCode } from '@custos/contract';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { readAllBounded } from '../io.js';
import { addGlobalOptions, DEFAULT_DATA_DIR, globalOptions, integer, resolveConnection } from '../options.js';
import { printResult } from '../output.js';

interface SealStatus {
  readonly sealed: boolean;
  readonly threshold?: number;
  readonly progress?: number;
  readonly rootOfTrust: string;
}

/** POST to a /v1/sys route; an error reply is rebuilt into its KmsError (printed as `custos: CODE: message`). */
async function post(cmd: Command, path: string, body: unknown, needsToken: boolean): Promise<SealStatus> {
  const { endpoint, token } = resolveConnection(globalOptions(cmd));
  if (needsToken && token === undefined)
    throw new UsageError(
      'no token: pass an admin --token, set CUSTOS_TOKEN, or run where <data-dir>/admin.token exists',
    );
  const res = await fetch(new URL(path, endpoint), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(needsToken && token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const reply = (await res.json().catch(() => ({}))) as SealStatus & { error?: { code?: string; message?: string } };
  if (res.ok) return reply;
  throw errorFromCode(reply.error?.code ?? 'INTERNAL', reply.error?.message ?? `HTTP ${String(res.status)}`);
}

function printStatus(json: boolean | undefined, status: SealStatus): void {
  printResult(json, status, (s) => {
    process.stdout.write(
      s.sealed
        ? `sealed: ${String(s.progress)} of ${String(s.threshold)} shares given\n`
        : `unsealed (root of trust: ${s.rootOfTrust})\n`,
    );
  });
}

/** One share from stdin (a line; surrounding white space ignored). */
async function readShare(): Promise<string> {
  const text = (await readAllBounded(process.stdin, 4096, 'the share on stdin')).toString('utf8').trim();
  if (text === '') throw new UsageError('no share: pass --share or write one to stdin');
  return text;
}

/** Registers `custos operator` and returns it, so other commands (rotate-root, migrate-root) can join it. */
export function registerOperator(program: Command): Command {
  const operator = program.command('operator').description('operate the root of trust: init, unseal, seal');

  const init = operator
    .command('init')
    .description(
      'OFFLINE, on a new data directory: create the root key file sealed by Shamir shares and print the shares ONCE',
    )
    .requiredOption('--shares <n>', 'number of unseal shares to make (2..255)', integer('--shares', 2, 255))
    .requiredOption('--threshold <t>', 'shares needed to unseal (2..shares)', integer('--threshold', 2, 255))
    .option('--root-key-file <file>', 'root key file (default <data-dir>/root.key)');
  addGlobalOptions(init).action(
    async (o: { shares: number; threshold: number; rootKeyFile?: string }, cmd: Command) => {
      if (o.threshold > o.shares) throw new UsageError('--threshold must not exceed --shares');
      const g = globalOptions(cmd);
      const dataDir = g.dataDir ?? process.env.CUSTOS_DATA_DIR ?? DEFAULT_DATA_DIR;
      const { initShamir } = await import('../../service/shamir.js');
      const { unsealShares } = await initShamir({
        dataDir,
        shares: o.shares,
        threshold: o.threshold,
        ...(o.rootKeyFile !== undefined && { rootKeyFile: o.rootKeyFile }),
      });
      process.stderr.write(
        `custos: these ${String(o.shares)} unseal shares are shown ONCE and stored nowhere; any ` +
          `${String(o.threshold)} of them unseal the server. Give each to a different operator now.\n`,
      );
      printResult(g.json, { unsealShares, threshold: o.threshold }, () => {
        process.stdout.write(`${unsealShares.map((share, i) => `share ${String(i + 1)}: ${share}`).join('\n')}\n`);
      });
    },
  );

  const unseal = operator
    .command('unseal')
    .description('give the server one unseal share (from stdin unless --share) and print the progress')
    .option('--share <share>', 'the share (visible in the process list: prefer stdin)');
  addGlobalOptions(unseal).action(async (o: { share?: string }, cmd: Command) => {
    const share = o.share ?? (await readShare());
    printStatus(globalOptions(cmd).json, await post(cmd, '/v1/sys/unseal', { share }, false));
  });

  const seal = operator
    .command('seal')
    .description('seal the server (admin): it drops its root key and serves nothing until unsealed again');
  addGlobalOptions(seal).action(async (_o: unknown, cmd: Command) => {
    printStatus(globalOptions(cmd).json, await post(cmd, '/v1/sys/seal', {}, true));
  });
  return operator;
}
