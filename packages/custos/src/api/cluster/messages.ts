// The IPC messages between the primary of `custos server --workers N` and its workers (node:cluster's channel).
// Must not be imported by service, store, keystore or core.

/** A worker is listening (its first start on a fresh store created the admin token file). */
export interface ReadyMessage {
  readonly custos: 'ready';
  readonly url: string;
  readonly adminTokenFile: string;
}

/** The primary asks a worker to drain and exit (SIGTERM of the primary). */
export interface CloseMessage {
  readonly custos: 'close';
}

/**
 * A worker collected an unseal share, or was sealed by an administrator: the primary relays it (same `id`) to every
 * other serving worker, which answers `applied`; once all have (or have exited), the primary answers the first worker
 * `relayed`, and only then does it reply to its client. The primary replays the shares of an unseal (in progress or
 * complete) to a worker that replaces one.
 */
export interface SealMessage {
  readonly custos: 'unseal-share' | 'sealed';
  readonly id: number;
  readonly share?: string;
}

/** A worker applied a relayed SealMessage (`applied`, to the primary), or all did (`relayed`, to its sender). */
export interface SealAckMessage {
  readonly custos: 'applied' | 'relayed';
  readonly id: number;
}

export type WorkerMessage = ReadyMessage | SealMessage | SealAckMessage;

export function isMessage<T extends { custos: string }>(message: unknown, kind: T['custos']): message is T {
  return (message as { custos?: unknown } | null)?.custos === kind;
}

/** The environment variable a worker finds its primary's data directory lock holder id in (data-dir-lock.ts). */
export const LOCK_HOLDER_ENV = 'CUSTOS_DATA_DIR_LOCK_HOLDER';
