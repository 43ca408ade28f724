// The store's record of a root-key rotation (meta `root_rotation`, JSON) and of the keys derived from the first root
// (meta `root_derived_keys`: carried forward, wrapped under the current root). Must not import api.
import { InternalError } from '@custos/contract';
import { DERIVED_KEYS_AAD, type RootRing } from '../../keystore/root-ring.js';
import { SecretBytes } from '../../core/secret-bytes.js';
import * as repo from '../../store/repositories/index.js';
import type { Db } from '../../store/index.js';

const ROTATION_KEY = 'root_rotation';
const DERIVED_KEYS_KEY = 'root_derived_keys';

/** The kinds of root a data directory or cluster can move to. */
export type RootKind = 'file' | 'pkcs11' | 'shamir';

/**
 * - `rewrapping`: the next root exists and every service wraps under it; rows are being re-wrapped.
 * - `finishing`: every row is under the next root and the store is bound to it; the old root is being destroyed.
 * - `done`: the old root is gone.
 */
type RotationStateName = 'rewrapping' | 'finishing' | 'done';

/** Where a PKCS#11 root lives (no PIN: the PIN is never stored). */
export interface Pkcs11Place {
  readonly module: string;
  readonly tokenLabel: string;
  readonly keyLabel?: string;
}

export interface RotationRecord {
  readonly operation: 'RotateRoot' | 'MigrateRoot';
  readonly state: RotationStateName;
  readonly from: { readonly kind: RootKind; readonly keyCheckValue: string };
  readonly to: { readonly kind: RootKind; readonly keyCheckValue: string; readonly pkcs11?: Pkcs11Place };
  readonly startedAt: string;
  readonly finishedAt?: string;
}

/** The rotation recorded in the store, if any (undefined also before the store is migrated). */
export async function readRotation(db: Db): Promise<RotationRecord | undefined> {
  const text = await repo.meta.peek(db, ROTATION_KEY);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as RotationRecord;
  } catch (cause) {
    throw new InternalError('the recorded root rotation is not JSON', { cause });
  }
}

export function writeRotation(db: Db, record: RotationRecord): Promise<void> {
  return repo.meta.set(db, ROTATION_KEY, JSON.stringify(record));
}

/**
 * Carries the derived keys forward: wraps them (as the ring derives them now) under the ring's newest root. Run
 * inside the transaction that records the rotation. The blob is AES-GCM under the root with additional data naming
 * the purposes: without the root it can be neither read nor forged (a row MAC would be keyed by what it protects).
 */
export async function storeDerivedKeys(db: Db, ring: RootRing): Promise<void> {
  const keys = await ring.allDerivedKeys();
  try {
    const wrapped = await ring.wrap(keys, DERIVED_KEYS_AAD);
    await repo.meta.set(db, DERIVED_KEYS_KEY, Buffer.from(wrapped).toString('base64'));
    ring.setDerivedKeys(keys);
  } finally {
    keys.wipe();
  }
}

/** Installs the carried-forward derived keys in the ring, when a rotation carried them (before any is derived). */
export async function loadDerivedKeys(db: Db, ring: RootRing): Promise<void> {
  const text = await repo.meta.peek(db, DERIVED_KEYS_KEY);
  if (text === undefined) return;
  const keys: SecretBytes = await ring.unwrap(new Uint8Array(Buffer.from(text, 'base64')), DERIVED_KEYS_AAD);
  try {
    ring.setDerivedKeys(keys);
  } finally {
    keys.wipe();
  }
}
