// Which contract operations each CLI command serves: a command declares them with `serves`, and the coverage test
// (test/cli/operation-coverage.test.ts) walks the program and fails naming every operation no command serves.
// Must not import the store, service or api; a declaration only, read by the tests and `custos help operations`.
import type { OperationMethod } from '@custos/contract';
import type { Command } from 'commander';

const SERVED = new WeakMap<Command, readonly OperationMethod[]>();

/**
 * Declares the operations a command calls (its main ones: `key list` serves listKeys, not the describeKey it also
 * calls for the table). A misspelt method does not compile. Returns the command, to chain.
 *
 * @example
 * serves(key.command('rotate'), 'rotateKeyOnDemand').argument('<key>').action(...)
 */
export function serves<C extends Command>(cmd: C, ...methods: readonly [OperationMethod, ...OperationMethod[]]): C {
  SERVED.set(cmd, [...(SERVED.get(cmd) ?? []), ...methods]);
  return cmd;
}

/** The operations `cmd` itself declares (not its subcommands'). */
export function servedBy(cmd: Command): readonly OperationMethod[] {
  return SERVED.get(cmd) ?? [];
}

/** Every command under `root` (itself included) with its full name (`key alias create`), depth first. */
export function walkCommands(root: Command): { path: string; cmd: Command }[] {
  const out: { path: string; cmd: Command }[] = [];
  const visit = (cmd: Command, prefix: string) => {
    const path = prefix === '' ? cmd.name() : `${prefix} ${cmd.name()}`;
    out.push({ path, cmd });
    for (const sub of cmd.commands) visit(sub, path);
  };
  visit(root, '');
  return out;
}
