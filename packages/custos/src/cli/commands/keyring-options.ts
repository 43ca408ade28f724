// The options every `custos keyring` command on one keyring takes: --app and --ref. Must not import the store,
// service, core or api.
import type { Command } from 'commander';

export interface KeyringOptions {
  app: string;
  ref?: string;
}

/** --app (required) and --ref (default: the master key). */
export function keyringOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--app <applicationId>', 'application id (REGISTRATION, KERNEL, ROOT, …)')
    .option('--ref <referenceId>', 'reference id (default: the application master key)');
}

export const keyringOf = (o: KeyringOptions): { applicationId: string; referenceId?: string } => ({
  applicationId: o.app,
  ...(o.ref !== undefined && { referenceId: o.ref }),
});
