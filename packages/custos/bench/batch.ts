// The batch row of `npm run bench`: encrypt 1 KiB as single requests (CONNECTIONS in flight) against the same work
// as POST /v1/batch requests of BATCH_SIZE items (fewer connections: each request carries BATCH_SIZE calls), on
// the same server, in alternating rounds; items/s and the median of each round's ratio (batch / single).
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';

/** Items per batch request in the benchmark. */
export const BATCH_SIZE = 100;

/** Where the server is, and a token that may encrypt. */
export interface BatchTarget {
  readonly url: string;
  readonly token?: string | undefined;
}

/** One run's settings. */
export interface BatchBenchOptions {
  readonly keyId: string;
  readonly rounds: number;
  readonly duration: number;
  readonly connections: number;
}

/** The row: items/s of each (medians) and the round ratios. */
export interface BatchBenchResult {
  readonly singleItemsPerSecond: number;
  readonly batchItemsPerSecond: number;
  readonly ratio: number;
  readonly ratioRange: readonly [number, number];
  readonly errors: number;
}

async function itemsPerSecond(
  target: BatchTarget,
  path: string,
  body: unknown,
  connections: number,
  duration: number,
  itemsPerRequest: number,
): Promise<{ rate: number; errors: number }> {
  const result = await autocannon({
    url: target.url + path,
    method: 'POST',
    connections,
    duration,
    headers: {
      'content-type': 'application/json',
      ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { rate: result.requests.average * itemsPerRequest, errors: result.errors + result.non2xx };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? (sorted[Math.floor(mid)] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Measures single encrypts against batches of BATCH_SIZE encrypts, alternating which goes first each round. */
export async function benchBatch(target: BatchTarget, options: BatchBenchOptions): Promise<BatchBenchResult> {
  const plaintext = randomBytes(1024).toString('base64');
  const single = { path: `/v1/keys/${encodeURIComponent(options.keyId)}/encrypt`, body: { plaintext } };
  const items = Array.from({ length: BATCH_SIZE }, () => ({ encrypt: { keyId: options.keyId, plaintext } }));
  const batchConnections = Math.max(1, Math.ceil(options.connections / 8));
  const singles: number[] = [];
  const batches: number[] = [];
  const ratios: number[] = [];
  let errors = 0;
  for (let round = 0; round < options.rounds; round++) {
    const runSingle = () => itemsPerSecond(target, single.path, single.body, options.connections, options.duration, 1);
    const runBatch = () =>
      itemsPerSecond(target, '/v1/batch', { items }, batchConnections, options.duration, BATCH_SIZE);
    const [a, b] = round % 2 === 0 ? [await runSingle(), await runBatch()] : [undefined, await runBatch()];
    const s = a ?? (await runSingle());
    singles.push(s.rate);
    batches.push(b.rate);
    ratios.push(b.rate / Math.max(1, s.rate));
    errors += s.errors + b.errors;
  }
  return {
    singleItemsPerSecond: median(singles),
    batchItemsPerSecond: median(batches),
    ratio: median(ratios),
    ratioRange: [Math.min(...ratios), Math.max(...ratios)],
    errors,
  };
}
