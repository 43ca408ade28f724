// `custos server`: settings from flag > environment > --config JSON file > default, mapped onto startServer's options.
// Must not import the store or service; imports the api dynamically, inside the action, so other commands load fast.
import { isKmsError } from '@custos/contract';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { adminTokenNote } from './server-admin-token.js';
import { serverOptions, workerCount } from './server-options.js';
import { resolveSettings, SETTINGS } from './server-settings.js';

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
  cmd.action(async (o: { auditAcceptMismatch?: boolean }, c: Command) => {
    const settings = resolveSettings(c);
    const workers = workerCount(settings);
    const options = {
      ...serverOptions(settings),
      ...(o.auditAcceptMismatch === true && { acceptAuditMismatch: true }),
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
    const server = await startServer(options).catch(usage);
    installSignalHandlers(server);
    process.stderr.write(`custos: listening on ${server.url} (${adminTokenNote(server, options.rootOfTrust?.kind)})\n`);
    sealedNote();
  });
}
