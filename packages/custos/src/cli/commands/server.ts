// `custos server`: settings from flag > environment > --config JSON file > default, mapped onto startServer's options.
// Must not import the store or service; imports the api dynamically, inside the action, so other commands load fast.
import { rm } from 'node:fs/promises';
import { isKmsError } from '@custos/contract';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { adminTokenNote } from './server-admin-token.js';
import { devSettings } from './server-dev.js';
import { serverOptions, workerCount } from './server-options.js';
import { resolveSettings, SETTINGS, type ServerSettings } from './server-settings.js';

export function registerServer(program: Command): void {
  const cmd = program.command('server').description('run the Custos server (REST API) on a data directory');
  for (const s of SETTINGS)
    cmd.addOption(
      new Option(s.flag, s.fallback === undefined ? s.help : `${s.help} (default ${s.fallback})`).env(s.env),
    );
  cmd.addOption(
    new Option('--config <file>', 'JSON file with these settings in camelCase (flag > env > file > default)').env(
      'CUSTOS_CONFIG',
    ),
  );
  // A one-off operator decision, so a flag only: from the environment or a config file it would accept every later
  // mismatch unseen (docs/audit.md).
  cmd.option(
    '--audit-accept-mismatch',
    'start even if the audit log does not match its last checkpoint (audited; see docs/audit.md)',
  );
  // A flag only, like the one above: a development store refuses to open without it, and a production one with it.
  cmd.option(
    '--dev',
    'development mode: a temporary data directory (unless --data-dir), loopback only, a clock custos dev clock moves, ' +
      'keys from --dev-seed/--dev-seed-file, one process; never for production (docs/dev-mode.md)',
  );
  cmd.action(async (o: { auditAcceptMismatch?: boolean; dev?: boolean }, c: Command) => {
    const defaulted = new Set<keyof ServerSettings>();
    const settings = resolveSettings(c, defaulted);
    const dev = o.dev === true ? await devSettings(settings, defaulted.has('dataDir')) : undefined;
    // A development server is one process: its movable clock lives in the process that serves.
    const workers = dev ? 1 : workerCount(settings);
    const options = {
      ...serverOptions(dev ? dev.settings : settings),
      ...(o.auditAcceptMismatch === true && { acceptAuditMismatch: true }),
      ...(dev && { dev: dev.dev }),
    };
    const usage = (err: unknown): never => {
      // A malformed setting (e.g. --listen) is the command line's fault: exit 2 like other usage errors.
      throw isKmsError(err) && err.code === 'VALIDATION_ERROR' ? new UsageError(err.message) : err;
    };
    const sealedNote = (): void => {
      if (options.rootOfTrust?.kind === 'shamir')
        process.stderr.write('custos: sealed: unseal it with custos operator unseal (its threshold of shares)\n');
    };
    const cluster = (await import('node:cluster')).default;
    if (workers > 1 && cluster.isWorker) {
      // A worker of the primary below: serves and reports to it (the primary tells the operator).
      const { runWorker } = await import('../../api/cluster/worker.js');
      await runWorker(options).catch(usage);
      return;
    }
    if (workers > 1) {
      const { runPrimary } = await import('../../api/cluster/primary.js');
      await runPrimary({
        workers,
        server: options,
        log: (line) => process.stderr.write(`${line}\n`),
        onListening: (ready) => {
          const note = adminTokenNote(ready, options.rootOfTrust?.kind);
          process.stderr.write(`custos: listening on ${ready.url} (${note}; ${String(workers)} workers)\n`);
          sealedNote();
        },
      }).catch(usage);
      return;
    }
    const { startServer, installSignalHandlers } = await import('../../api/server.js');
    const server = await startServer(options).catch(async (err: unknown) => {
      if (dev?.temporary) await rm(options.dataDir, { recursive: true, force: true });
      return usage(err);
    });
    const removeTemporary = async () => {
      await server.close();
      await rm(options.dataDir, { recursive: true, force: true });
    };
    installSignalHandlers(dev?.temporary ? { close: removeTemporary } : server);
    if (dev)
      process.stderr.write(
        `custos: development mode (not for production): data directory ${options.dataDir}` +
          `${dev.temporary ? ' (temporary: removed when the server stops)' : ''}; responses say X-Custos-Mode: development\n`,
      );
    process.stderr.write(`custos: listening on ${server.url} (${adminTokenNote(server, options.rootOfTrust?.kind)})\n`);
    sealedNote();
  });
}
