// The Command class of every `custos` command: commander's, with two checks before commander's own. An unknown
// option is named even when a required one is missing too (commander reports the missing one first), and --json on
// a command that has no JSON output is refused. Must not import the store, service or api.
import { Command, type ParseOptionsResult } from 'commander';
import { UsageError } from './errors.js';

const HELP_FLAGS = new Set(['-h', '--help']);

/** The full name of a command (`custos key create`). */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Whether a command honours --json: it declares the option (addGlobalOptions or its own). */
export function honoursJson(cmd: Command): boolean {
  return cmd.options.some((o) => o.long === '--json');
}

export class CustosCommand extends Command {
  override createCommand(name?: string): Command {
    return new CustosCommand(name);
  }

  /** Runs commander's parse of this command's options, then, on a leaf command, the two checks above. */
  override parseOptions(argv: string[]): ParseOptionsResult {
    const parsed = super.parseOptions(argv);
    if (this.commands.length > 0) return parsed; // a group: its subcommand parses the rest
    const flag = parsed.unknown[0];
    if (!honoursJson(this) && (flag === '--json' || this.ancestorJson()))
      throw new UsageError(`${commandPath(this)} has no JSON output: drop --json`);
    if (flag?.startsWith('-') === true && flag !== '-' && !parsed.unknown.some((a) => HELP_FLAGS.has(a))) {
      // commander's own report, with its "Did you mean" suggestion (public in commander, absent from its typings).
      (this as unknown as { unknownOption(flag: string): never }).unknownOption(flag);
    }
    return parsed;
  }

  private ancestorJson(): boolean {
    for (let c = this.parent; c; c = c.parent) if (c.opts<{ json?: boolean }>().json === true) return true;
    return false;
  }
}
