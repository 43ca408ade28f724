// The primary process of `custos server --workers N` (node:cluster): holds the SQLite data directory lock for its
// workers, forks them (the first alone, so that migrations and the first admin token happen once), replaces a worker
// that dies, relays key changes and unseal shares between them, and on SIGTERM drains them all, then exits 0. It
// serves no request and opens no store nor root of trust. Must not be imported by service, store, keystore or core.
import cluster, { type Worker } from 'node:cluster';
import { holdDataDir, isKeyChange } from '../../service/server-lock.js';
import type { ServerOptions } from '../server.js';
import { rateLimitCounter, type RateIncrMessage } from './rate-limit-store.js';
import { isMessage, LOCK_HOLDER_ENV, type ReadyMessage, type SealAckMessage, type SealMessage } from './messages.js';

export interface PrimaryOptions {
  /** Worker processes (at least 2: one is a plain server, api/server.ts). */
  readonly workers: number;
  /** What every worker starts: the primary only reads the data directory and store from it. */
  readonly server: ServerOptions;
  /** Called once every worker is listening. */
  onListening(ready: ReadyMessage): void;
  /** One line for the operator (stderr). */
  log(line: string): void;
}

/** Replacements that fail to start in a row before the primary gives up (a worker that cannot start at all). */
const MAX_FAILED_STARTS = 5;

/** Resolves once every worker listens; rejects (after stopping the others) if the first cannot start. */
export async function runPrimary(options: PrimaryOptions): Promise<void> {
  const lock = holdDataDir({
    dataDir: options.server.dataDir,
    ...(options.server.store && { store: options.server.store }),
  });
  const env = lock ? { [LOCK_HOLDER_ENV]: lock.holderId } : {};
  const workers = new Set<Worker>();
  /** Workers listening (and so answering a close message); the others are stopped by a signal. */
  const serving = new WeakSet<Worker>();
  /** The unseal shares accepted so far (cleared by a seal): replayed to a worker that replaces one. */
  let shares: string[] = [];
  let stopping = false;
  let failedStarts = 0;
  /** Every first worker listens: from now on a worker that exits is replaced. */
  let started = false;

  /** --rate-limit: one count for all the workers. */
  const countRate = rateLimitCounter();
  /** Waiting for a worker's `applied`, by `<worker id>:<message id>`. */
  const acks = new Map<string, () => void>();
  /** Sends a worker's seal message to the other serving workers; answers it `relayed` once each applied it or exited. */
  const relaySeal = (from: Worker, message: SealMessage): void => {
    const others = [...workers].filter((w) => w !== from && serving.has(w) && w.isConnected());
    void Promise.all(
      others.map(
        (other) =>
          new Promise<void>((resolve) => {
            const key = `${String(other.id)}:${String(message.id)}`;
            const done = (): void => {
              acks.delete(key);
              other.off('exit', done);
              resolve();
            };
            acks.set(key, done);
            other.once('exit', done);
            other.send(message);
          }),
      ),
    ).then(() => {
      if (from.isConnected()) from.send({ custos: 'relayed', id: message.id } satisfies SealAckMessage);
    });
  };

  const fork = (): Promise<ReadyMessage> => {
    const worker = cluster.fork(env);
    workers.add(worker);
    return new Promise<ReadyMessage>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: unknown) => {
        if (isMessage<ReadyMessage>(message, 'ready')) {
          ready = true;
          serving.add(worker);
          failedStarts = 0;
          // Replayed: a replacement joins an unseal in progress, or unseals as the others did.
          shares.forEach((share, i) =>
            worker.send({ custos: 'unseal-share', id: -1 - i, share } satisfies SealMessage),
          );
          resolve(message);
        } else if (isKeyChange(message)) {
          for (const other of workers) if (other !== worker && other.isConnected()) other.send(message);
        } else if (isMessage<SealMessage>(message, 'unseal-share') || isMessage<SealMessage>(message, 'sealed')) {
          if (message.custos === 'sealed') shares = [];
          else if (message.share !== undefined && !shares.includes(message.share)) shares.push(message.share);
          relaySeal(worker, message);
        } else if (isMessage<RateIncrMessage>(message, 'rate-incr')) {
          if (worker.isConnected()) worker.send(countRate(message));
        } else if (isMessage<SealAckMessage>(message, 'applied')) {
          acks.get(`${String(worker.id)}:${String(message.id)}`)?.();
        }
      });
      worker.once('exit', (code: number | null, signal: string | null) => {
        workers.delete(worker);
        if (!ready) reject(Object.assign(new Error(`worker exited with ${signal ?? String(code)}`), { code }));
        if (stopping || !started) {
          if (stopping && workers.size === 0) finish();
          return;
        }
        options.log(
          `custos: worker ${String(worker.process.pid)} exited (${signal ?? `code ${String(code)}`}); starting another`,
        );
        if (!ready && ++failedStarts >= MAX_FAILED_STARTS) {
          options.log('custos: workers keep failing to start; stopping');
          stop(1);
          return;
        }
        setTimeout(
          () => {
            if (!stopping) void fork().catch(() => undefined);
          },
          ready ? 0 : 1000,
        );
      });
    });
  };

  let exitCode = 0;
  const finish = (): void => {
    lock?.release();
    process.exit(exitCode);
  };
  const stop = (code: number): void => {
    exitCode = Math.max(exitCode, code);
    if (stopping) return;
    stopping = true;
    if (workers.size === 0) finish();
    for (const worker of workers)
      if (serving.has(worker) && worker.isConnected()) worker.send({ custos: 'close' });
      else worker.process.kill('SIGTERM');
  };

  try {
    const first = await fork();
    await Promise.all(Array.from({ length: options.workers - 1 }, fork));
    started = true;
    options.onListening(first);
  } catch (error) {
    // The worker said why on stderr (its own custos: line); exit as it did (2 for a usage error).
    exitCode = typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code || 1 : 1;
    stopping = true;
    if (workers.size === 0) finish();
    for (const worker of workers) worker.process.kill('SIGTERM');
    return;
  }
  process.once('SIGTERM', () => {
    stop(0);
  });
  process.once('SIGINT', () => {
    stop(0);
  });
}
