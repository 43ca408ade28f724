// `custos dev`: development mode's calls on a server started with `custos server --dev` (docs/dev-mode.md):
// `custos dev clock --advance 7d` moves its clock forward and runs maintenance. Must not import the store, service or api.
import { MAX_DEV_CLOCK_ADVANCE_SECONDS } from '@custos/contract';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { addGlobalOptions, globalOptions, withKms } from '../options.js';
import { printResult } from '../output.js';
import { serves } from '../serves.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90`, `90s`, `15m`, `2h`, `7d` → seconds; UsageError otherwise. */
function parseAdvance(value: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(value.trim());
  const seconds = m
    ? Number(m[1]) * (UNIT_SECONDS[m[2] === '' || m[2] === undefined ? 's' : m[2]] ?? Number.NaN)
    : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds > MAX_DEV_CLOCK_ADVANCE_SECONDS)
    throw new UsageError(
      `--advance expects seconds, or a number with s, m, h or d (at most ${String(MAX_DEV_CLOCK_ADVANCE_SECONDS)} s), got '${value}'`,
    );
  return seconds;
}

export function registerDev(program: Command): void {
  const dev = program
    .command('dev')
    .description('development mode: calls for a server started with custos server --dev');
  const clock = serves(dev.command('clock'), 'advanceDevClock')
    .description("move a development server's clock forward, then run maintenance (deletions, rotations, expiries)")
    .addOption(
      new Option('--advance <duration>', 'how far: seconds, or with a unit (90s, 15m, 2h, 7d); 0 only runs maintenance')
        .argParser(parseAdvance)
        .makeOptionMandatory(),
    );
  addGlobalOptions(clock).action((o: { advance: number }, c: Command) =>
    withKms(c, async (kms) => {
      const result = await kms.advanceDevClock({ advanceSeconds: o.advance });
      printResult(globalOptions(c).json, result, (r) => {
        const m = r.maintenance;
        process.stdout.write(
          `server time ${r.now.toISOString()} (${String(r.offsetSeconds)} s ahead of real time)` +
            (m
              ? `; maintenance: ${String(m.destroyed)} destroyed, ${String(m.rotated)} rotated, ` +
                `${String(m.expired)} expired, ${String(m.renewed)} renewed, ${String(m.failed)} failed`
              : '') +
            '\n',
        );
      });
    }),
  );
}
