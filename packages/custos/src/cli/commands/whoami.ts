// `custos whoami`: the principal the credentials act as, its roles, and the operations those roles permit.
// Must not import the store, service or api.
import type { Command } from 'commander';
import { addGlobalOptions, withKms } from '../options.js';
import { printFields, printResult } from '../output.js';
import { serves } from '../serves.js';

export function registerWhoAmI(program: Command): void {
  const whoami = serves(program.command('whoami'), 'whoAmI').description(
    "the caller's principal, roles and the operations they permit (key policies may restrict these per key)",
  );
  addGlobalOptions(whoami).action((_o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const me = await kms.whoAmI({});
      printResult(g.json, me, (r) => {
        printFields([
          ['Principal', r.principal],
          ['Roles', r.roles],
          ['Access', r.access],
          ['Operations', r.operations],
        ]);
      });
    }),
  );
}
