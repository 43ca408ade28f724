// A worker process of `custos server --workers N`: serves the API like a single server (api/server.ts), joined to
// its primary's data directory lock, relays unseal shares and seals through the primary, drains on request, and exits
// when the primary is gone. Must not be imported by service, store, keystore or core.
import type { SealGate } from '../seal.js';
import { startServer, type ServerOptions } from '../server.js';
import { isMessage, LOCK_HOLDER_ENV, type CloseMessage, type SealMessage, type WorkerMessage } from './messages.js';

function send(message: WorkerMessage): void {
  if (process.connected) process.send?.(message);
}

/** Relays this worker's accepted shares and seals to the others (through the primary), and applies theirs. */
function joinSeal(gate: SealGate): void {
  gate.relayTo({
    share: (share) => {
      send({ custos: 'unseal-share', share });
    },
    sealed: () => {
      send({ custos: 'sealed' });
    },
  });
  process.on('message', (message: unknown) => {
    if (isMessage<SealMessage>(message, 'unseal-share') && message.share !== undefined)
      void gate.unseal(message.share, { relayed: true }).catch(() => undefined);
    else if (isMessage<SealMessage>(message, 'sealed')) void gate.sealRelayed().catch(() => undefined);
  });
}

/**
 * Starts this worker's server and reports it ready to the primary. A close message, SIGTERM or SIGINT drains it
 * (in-flight requests answered) and exits 0; losing the primary (its death) exits at once, as the lock is gone.
 */
export async function runWorker(options: ServerOptions): Promise<void> {
  const holder = process.env[LOCK_HOLDER_ENV];
  const server = await startServer({
    ...options,
    workerPidHeader: true,
    onGate: joinSeal,
    kmsOptions: { ...options.kmsOptions, ...(holder !== undefined && { joinDataDirLock: holder }) },
  });
  let closing = false;
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
  process.once('disconnect', () => {
    if (!closing) process.exit(1);
  });
  send({ custos: 'ready', url: server.url, adminTokenFile: server.adminTokenFile });
}
