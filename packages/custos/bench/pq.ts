// Post-quantum micro-benchmark, in-process: ML-DSA sign/verify and ML-KEM encapsulate/decapsulate per parameter set
// on each implementation this Node has (node:crypto from Node 24.7, @noble/post-quantum everywhere), beside a
// classical baseline from the same run (node:crypto ECDSA P-256 and Ed25519 sign/verify, X25519 agreement).
// `benchPq()` measures and returns rows; `formatPqTable()` prints them. bench/run.ts calls both (the lead wires it).
// Setting: BENCH_PQ_SECONDS (per measured operation, default 0.5).
import { diffieHellman, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';

/** The compiled modules, as the server runs them: bench/dist/ sits beside the package's dist/ (see child.ts). */
const DIST = new URL(import.meta.url.includes('/bench/dist/') ? '../../dist/' : '../dist/', import.meta.url);

export interface PqBenchRow {
  /** 'node:crypto', '@noble/post-quantum', or 'baseline (node:crypto)'. */
  readonly implementation: string;
  /** ML-DSA-65, ML-KEM-768, ECDSA P-256, ... */
  readonly algorithm: string;
  /** sign, verify, encapsulate, decapsulate, agree. */
  readonly operation: string;
  readonly opsPerSecond: number;
  readonly meanMicros: number;
}

/** Runs `op` repeatedly for about `seconds` (after a few warm-up calls) and reports its rate. */
function measure(seconds: number, op: () => unknown): { opsPerSecond: number; meanMicros: number } {
  for (let i = 0; i < 3; i++) op();
  const budget = seconds * 1e9;
  const start = process.hrtime.bigint();
  let count = 0;
  let elapsed: number;
  do {
    op();
    count++;
    elapsed = Number(process.hrtime.bigint() - start);
  } while (elapsed < budget);
  return { opsPerSecond: (count * 1e9) / elapsed, meanMicros: elapsed / count / 1000 };
}

/** Measures every implementation and parameter set, and the classical baseline. */
export async function benchPq(seconds = Number(process.env.BENCH_PQ_SECONDS ?? 0.5)): Promise<PqBenchRow[]> {
  const { PQ_IMPLEMENTATIONS } = (await import(
    new URL('core/pq/implementation.js', DIST).href
  )) as typeof import('../src/core/pq/implementation.js');
  const P = (await import(
    new URL('core/pq/parameters.js', DIST).href
  )) as typeof import('../src/core/pq/parameters.js');
  const rows: PqBenchRow[] = [];
  const row = (implementation: string, algorithm: string, operation: string, op: () => unknown) =>
    rows.push({ implementation, algorithm, operation, ...measure(seconds, op) });
  const message = randomBytes(256);
  for (const impl of PQ_IMPLEMENTATIONS) {
    for (const parameters of [P.ML_DSA_44_PARAMETERS, P.ML_DSA_65_PARAMETERS, P.ML_DSA_87_PARAMETERS]) {
      const seed = randomBytes(parameters.seedBytes);
      const handle = impl.prepare(parameters, seed);
      const publicKey = impl.publicKey(parameters, seed);
      const signature = impl.sign(handle, message);
      row(impl.name, parameters.name, 'sign', () => impl.sign(handle, message));
      row(impl.name, parameters.name, 'verify', () => impl.verify(parameters, publicKey, message, signature));
    }
    for (const parameters of [P.ML_KEM_512_PARAMETERS, P.ML_KEM_768_PARAMETERS, P.ML_KEM_1024_PARAMETERS]) {
      const seed = randomBytes(parameters.seedBytes);
      const handle = impl.prepare(parameters, seed);
      const publicKey = impl.publicKey(parameters, seed);
      const { ciphertext } = impl.encapsulate(parameters, publicKey);
      row(impl.name, parameters.name, 'encapsulate', () => impl.encapsulate(parameters, publicKey));
      row(impl.name, parameters.name, 'decapsulate', () => impl.decapsulate(handle, ciphertext));
    }
  }
  const baseline = 'baseline (node:crypto)';
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p256Signature = sign('sha256', message, p256.privateKey);
  row(baseline, 'ECDSA P-256', 'sign', () => sign('sha256', message, p256.privateKey));
  row(baseline, 'ECDSA P-256', 'verify', () => verify('sha256', message, p256.publicKey, p256Signature));
  const ed = generateKeyPairSync('ed25519');
  const edSignature = sign(null, message, ed.privateKey);
  row(baseline, 'Ed25519', 'sign', () => sign(null, message, ed.privateKey));
  row(baseline, 'Ed25519', 'verify', () => verify(null, message, ed.publicKey, edSignature));
  const x = generateKeyPairSync('x25519');
  const peer = generateKeyPairSync('x25519');
  row(baseline, 'X25519', 'agree', () => diffieHellman({ privateKey: x.privateKey, publicKey: peer.publicKey }));
  return rows;
}

/** A fixed-width table of the rows, one line each. */
export function formatPqTable(rows: readonly PqBenchRow[]): string {
  const header = `${'implementation'.padEnd(24)}${'algorithm'.padEnd(14)}${'operation'.padEnd(13)}${'ops/s'.padStart(10)}${'µs/op'.padStart(10)}`;
  const lines = rows.map(
    (r) =>
      `${r.implementation.padEnd(24)}${r.algorithm.padEnd(14)}${r.operation.padEnd(13)}${r.opsPerSecond.toFixed(0).padStart(10)}${r.meanMicros.toFixed(0).padStart(10)}`,
  );
  return [`post-quantum, in-process (Node ${process.version})`, header, ...lines].join('\n');
}
