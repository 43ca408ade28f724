// Every operation of the contract table has a CLI command: the commands declare what they serve (`serves` in
// src/cli/serves.ts), and this walk of the built program fails naming each operation no command declares.
import { OPERATIONS, type OperationMethod } from '@custos/contract';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { servedBy, walkCommands } from '../../src/cli/serves.js';

/**
 * Operations with no CLI command, each with its reason. Keep it short: an operation callers can reach belongs on
 * the command line.
 */
const EXEMPT: Partial<Record<OperationMethod, string>> = {};

/** Each operation with the commands that serve it (`custos key create`), from a fresh program. */
function commandsByOperation(): Map<OperationMethod, string[]> {
  const out = new Map<OperationMethod, string[]>();
  for (const { path, cmd } of walkCommands(buildProgram())) {
    for (const method of servedBy(cmd)) out.set(method, [...(out.get(method) ?? []), path]);
  }
  return out;
}

const served = commandsByOperation();
const operations = Object.keys(OPERATIONS) as OperationMethod[];

describe('every operation has a CLI command', () => {
  it('no operation is left without a command (or an exemption with a reason)', () => {
    const missing = operations.filter((m) => !served.has(m) && EXEMPT[m] === undefined);
    expect(missing, `operations with no CLI command: ${missing.join(', ')}`).toEqual([]);
  });

  it('the exemptions name operations that exist and still have no command', () => {
    for (const method of Object.keys(EXEMPT) as OperationMethod[]) {
      expect(operations).toContain(method);
      expect(served.get(method), `${method} has a command now: drop its exemption`).toBeUndefined();
    }
  });

  // One line per operation, so the test list reads as the table of operations and their commands.
  it.each(operations.map((m) => [OPERATIONS[m].name, served.get(m)?.join(' | ') ?? `exempt: ${EXEMPT[m] ?? 'NONE'}`]))(
    '%s → custos %s',
    (name, commands) => {
      expect(commands, `${name} has neither a command nor an exemption`).not.toBe('exempt: NONE');
    },
  );
});
