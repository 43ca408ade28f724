// A worker process of `custos server --workers N`: serves the API like a single server (api/server.ts), joined to
// its primary's data directory lock, relays unseal shares and seals through the primary, drains on request, and exits
// when the primary is gone. Must not be imported by service, store, keystore or core.
import type { SealGate } from '../seal.js';
import { startServer, type ServerOptions } from '../server.js';
import { ClusterRateLimitStore } from './rate-limit-store.js';
import {
  isMessage,
  LOCK_HOLDER_ENV,
  type CloseMessage,
  type SealAckMessage,
  type SealMessage,
  type WorkerMessage,
} from './messages.js';

function send(message: WorkerMessage): void {
  if (process.connected) process.send?.(message);
}

/** Relays this worker's collected shares and seals to the others (through the primary), and applies theirs. */
function joinSeal(gate: SealGate): void {
  let nextId = 1;
  const waiting = new Map<number, () => void>();
  const relay = (message: Omit<SealMessage, 'id'>): Promise<void> => {
    if (!process.connected) return Promise.resolve();
    const id = nextId++;
    return new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      send({ ...message, id });
    });
  };
  gate.relayTo({
    share: (share) => relay({ custos: 'unseal-share', share }),
    sealed: () => relay({ custos: 'sealed' }),
  });
  process.on('message', (message: unknown) => {
    if (isMessage<SealAckMessage>(message, 'relayed')) {
      waiting.get(message.id)?.();
      waiting.delete(message.id);
      return;
    }
    const seal = isMessage<SealMessage>(message, 'unseal-share') || isMessage<SealMessage>(message, 'sealed');
    if (!seal) return;
    const { id, share } = message;
    const applying = share !== undefined ? gate.unseal(share, { relayed: true }) : gate.sealRelayed();
    void applying
      .catch(() => undefined)
      .finally(() => {
        send({ custos: 'applied', id });
      });
  });
  // A primary gone answers nothing: let the waiting replies go (the worker is exiting anyway).
  process.once('disconnect', () => {
    for (const resolve of waiting.values()) resolve();
    waiting.clear();
  });
}

/**
 * Starts this worker's server and reports it ready to the primary. A close message, SIGTERM or SIGINT drains it
 * (in-flight requests answered) and exits 0; losing the primary (its death) exits at once, as the lock is gone.
 */
export async function runWorker(options: ServerOptions): Promise<void> {
  let closing = false;
  // First: a primary that dies while this worker starts must not leave it running.
  process.once('disconnect', () => {
    if (!closing) process.exit(1);
  });
  const holder = process.env[LOCK_HOLDER_ENV];
  const server = await startServer({
    ...options,
    workerPidHeader: true,
    rateLimitStore: ClusterRateLimitStore,
    onGate: joinSeal,
    kmsOptions: { ...options.kmsOptions, ...(holder !== undefined && { joinDataDirLock: holder }) },
  }).catch((error: unknown) => {
    // A worker that cannot start exits with its error's code, as a single server does: the channel must not keep it.
    closing = true;
    process.channel?.unref();
    throw error;
  });
  const close = (): void => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message: unknown) => {
    if (isMessage<CloseMessage>(message, 'close')) close();
  });
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
  send({ custos: 'ready', url: server.url, adminTokenFile: server.adminTokenFile });
}
