// The benchmark's arithmetic and printing: medians over rounds, interleaved rounds of two runs, tables.
import type { Result } from './load.js';

/** `xs[i]`, which the caller knows is there (parallel arrays, table columns): a miss is a bug in this script. */
export function nth<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no element ${String(i)} of ${String(xs.length)}`);
  return x;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  // The two middle values; one and the same when the count is odd.
  const lower = sorted[Math.ceil(sorted.length / 2) - 1];
  const upper = sorted[Math.floor(sorted.length / 2)];
  return lower === undefined || upper === undefined ? NaN : (lower + upper) / 2;
}

/** The median of each figure over the rounds (errors: the total). */
export function medianOf(results: Result[]): Result {
  const cpus = results.flatMap((r) => (r.cpu ? [r.cpu] : []));
  return {
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    errors: results.reduce((n, r) => n + r.errors, 0),
    ...(cpus.length === results.length
      ? {
          cpu: {
            loopUs: median(cpus.map((c) => c.loopUs)),
            processUs: median(cpus.map((c) => c.processUs)),
            busy: median(cpus.map((c) => c.busy)),
          },
        }
      : {}),
  };
}

/**
 * `rounds` rounds of `a` and `b` back to back, the order alternating (a first, then b first, …), so a slow spell of
 * this shared machine moves both sides of a ratio rather than one figure.
 */
export async function interleaved<R>(
  rounds: number,
  a: () => Promise<R>,
  b: () => Promise<R>,
): Promise<{ a: R[]; b: R[] }> {
  const out = { a: [] as R[], b: [] as R[] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      out.a.push(await a());
      out.b.push(await b());
    } else {
      out.b.push(await b());
      out.a.push(await a());
    }
  }
  return out;
}

/** The median of the rounds' ratios a/b (by `figure`) and their range, as `0.93` and `0.88–0.97`. */
export function ratioCells<R>(a: R[], b: R[], figure: (r: R) => number): [string, string] {
  const ratios = a.map((r, i) => figure(r) / figure(nth(b, i)));
  return [median(ratios).toFixed(2), `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`];
}

/** µs of event loop / µs of the whole process per request, and the event loop's busy share. */
export function cpuCells(result: Result): string[] {
  const cpu = result.cpu;
  return cpu
    ? [`${cpu.loopUs.toFixed(0)} / ${cpu.processUs.toFixed(0)} µs`, `${(cpu.busy * 100).toFixed(0)} %`]
    : ['-', '-'];
}

/** Prints a table with columns as wide as their widest cell. */
export function printTable(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => nth(r, i).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(nth(widths, i))).join('  ');
  console.log(line(header));
  for (const row of body) console.log(line(row));
}

/** Milliseconds for a table cell: `12.35 ms`. */
export function ms(value: number): string {
  return `${Number(value.toFixed(2))} ms`;
}
