// Who may call what (roles grant kinds of access), the named sets of key states operations allow, and the state check.
// Each operation's rule is declared in its definition (operations/<op>.ts); a test walks every (state, operation) pair.
// Must not import store, keystore or api.
import { InvalidStateError, type Caller, type KeyState, type Role } from '@custos/contract';

/**
 * Each kind of access an operation needs (roles grant kinds, see ROLE_GRANTS), and whether its operations leave keys
 * and everything else as they were (the replay guard records the signed requests of the others). Those that may
 * change a key drop its cache entry, or the whole cache, on every node. Those of tokens change no key: those that write
 * tell every node's token and access-key caches instead (KeyService, CREDENTIALS_CHANGED), and leave the key caches
 * alone.
 */
export const ACCESS_KEEPS_KEYS = {
  manage: false,
  use: true,
  read: true,
  audit: true,
  tokens: false,
  monitor: true,
  // Reading a key's plaintext material out (ExportKey): a right of its own, so that using a key never implies
  // taking it away; only `admin` holds it by default.
  export: true,
  // Asking who one is (WhoAmI): every authenticated caller may, whatever its roles (call-checks.ts, authorise).
  self: true,
  // Development mode's calls (AdvanceDevClock): the admin only. Moving the clock changes no key by itself; the
  // maintenance run after it goes through the jobs' own operations, which drop what they change.
  dev: true,
} as const;
export type Access = keyof typeof ACCESS_KEEPS_KEYS;

export const ROLE_GRANTS: Record<Role, readonly Access[]> = {
  admin: Object.keys(ACCESS_KEEPS_KEYS) as Access[],
  'key-admin': ['manage', 'read'],
  'key-user': ['use', 'read'],
  // A Prometheus scraper needs no key, audit or token rights.
  monitor: ['monitor'],
};

/** The principal background jobs (maintenance, the key cache's preload) act as. */
export const SYSTEM_CALLER: Caller = { principal: 'custos:system', roles: ['admin'] };

/** A set of key states, for an operation's rule. */
export const S = (...states: KeyState[]): readonly KeyState[] => states;
/** Any state: reads that work even on a destroyed key. */
export const ANY = S('Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Destroyed');
/** Not on its way out: management of a key that is neither PendingDeletion nor Destroyed. */
export const LIVE = S('Enabled', 'Disabled', 'PendingImport');
/** Cryptographic use: Enabled only (a Disabled key answers KEY_DISABLED). */
export const USABLE = S('Enabled');
/** A key with material: the Enabled <-> Disabled transitions. */
export const WITH_MATERIAL = S('Enabled', 'Disabled');

/** Who may call an operation, and which key states allow it: the second argument of every defineOperation. */
export interface OperationRule {
  readonly access: Access;
  /** States the key must be in; null for operations on no key. */
  readonly states: readonly KeyState[] | null;
}

/** The operation a call runs as (`ctx.operation`): its name as AWS spells it, and its rule. */
export interface RunningOperation extends OperationRule {
  readonly name: string;
}

/** Throws the AWS-compatible state error when `state` does not allow `operation`. */
export function assertStateAllows(operation: RunningOperation, state: KeyState): void {
  const rule: OperationRule = operation;
  if (rule.states === null || rule.states.includes(state)) return;
  // AWS KMS: an operation that needs an enabled key answers DisabledException for a disabled one;
  // every other refusal is KMSInvalidStateException.
  if (state === 'Disabled' && rule.states.includes('Enabled'))
    throw new InvalidStateError('key is disabled', 'KEY_DISABLED');
  throw new InvalidStateError(`${operation.name} is not allowed while the key is ${state}`);
}
