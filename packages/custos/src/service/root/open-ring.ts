// Opens the root of trust of a data directory or cluster as a root ring: the root key the store is bound to and,
// while a rotation re-wraps rows, the next one too (root.key.next, or the token's other key with the label), so
// that every key stays usable after a crash at any point. The rotation itself waits for the operator's re-run.
// Must not import api.
import { join } from 'node:path';
import { UnavailableError, ValidationError } from '@custos/contract';
import { openFileRootOfTrust } from '../../keystore/file/index.js';
import { openPkcs11RootOfTrust } from '../../keystore/pkcs11/index.js';
import { ShamirUnsealKey } from '../../keystore/shamir/index.js';
import type { RootOfTrust } from '../../keystore/root-of-trust.js';
import { RootRing } from '../../keystore/root-ring.js';
import * as repo from '../../store/repositories/index.js';
import type { Store } from '../../store/index.js';
import { filePlace, pkcs11Place, shamirPlace, type Pkcs11PlaceOptions, type RootPlace } from './root-places.js';
import { readRotation } from './rotation-state.js';

export const ROOT_KEY_CHECK = 'root_key_check_value';

/** How often a node on a shared store checks whether another node rotated the root. */
const CHECK_EVERY_MS = 1000;

/** What the opener needs of LocalKmsOptions. */
export interface RootOptions {
  readonly dataDir: string;
  readonly rootOfTrust?:
    | { readonly kind: 'file' }
    | ({ readonly kind: 'pkcs11' } & Pkcs11PlaceOptions)
    | { readonly kind: 'shamir'; readonly unsealShares: readonly string[] };
  readonly passphrase?: string;
  readonly rootKeyFile?: string;
}

/**
 * The place of the root the options name. A Shamir root's unseal key is rebuilt from the shares here (FOREIGN_SHARE,
 * TOO_FEW_SHARES, WRONG_SHARES...) and held by the place until it is closed.
 */
async function placeOf(options: RootOptions): Promise<RootPlace> {
  const settings = options.rootOfTrust ?? { kind: 'file' };
  if (settings.kind === 'pkcs11') {
    if (options.passphrase !== undefined || options.rootKeyFile !== undefined)
      throw new ValidationError('passphrase and rootKeyFile are for the file root of trust, not pkcs11');
    const { kind: _kind, ...pkcs11 } = settings;
    return pkcs11Place(pkcs11);
  }
  if (settings.kind === 'shamir') {
    if (options.passphrase !== undefined)
      throw new ValidationError('a passphrase is for the file root of trust, not shamir (it is opened with shares)');
    const path = rootKeyPath(options);
    return shamirPlace(path, await ShamirUnsealKey.fromShares(path, settings.unsealShares));
  }
  return filePlace({
    path: rootKeyPath(options),
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
  });
}

const rootKeyPath = (options: RootOptions): string => options.rootKeyFile ?? join(options.dataDir, 'root.key');

/** Opens the chosen root of trust (at `place`); `recorded` is the check value the store is bound to, if any. */
function openRootOfTrust(options: RootOptions, place: RootPlace, recorded: string | undefined): Promise<RootOfTrust> {
  if (place.openCurrent !== undefined) return place.openCurrent(); // shamir: root.key under the held unseal key
  const settings = options.rootOfTrust ?? { kind: 'file' };
  if (settings.kind === 'pkcs11') {
    const { kind: _kind, ...pkcs11 } = settings;
    return openPkcs11RootOfTrust({
      ...pkcs11,
      create: recorded === undefined,
      ...(recorded !== undefined ? { expectedKeyCheckValue: recorded } : {}),
    });
  }
  return openFileRootOfTrust({
    path: rootKeyPath(options),
    create: recorded === undefined,
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
  });
}

/**
 * The ring: the root the store is bound to (after a rotation's `finishing` step that may be root.key.next, not yet
 * renamed), and during `rewrapping` the rotation's next root when this node can open it (same kind of root: the
 * next file, or the same token). A migration's target it cannot open (a token named only in the operator's command)
 * is opened again by the operator's re-run.
 */
export async function openRootRing(
  options: RootOptions,
  store: Store,
  migrationTarget?: RootPlace,
): Promise<{ ring: RootRing; place: RootPlace }> {
  const recorded = await repo.meta.peek(store.db, ROOT_KEY_CHECK);
  const rotation = await readRotation(store.db);
  let place: RootPlace | undefined;
  let ring: RootRing | undefined;
  try {
    place = await placeOf(options);
    // Where the rotation's next root is: here, or (a migration resumed) the target the operator names again.
    const nextPlace = [place, migrationTarget].find((p) => p !== undefined && p.kind === rotation?.to.kind);
    let current: RootOfTrust | undefined;
    if (recorded !== undefined && rotation !== undefined && rotation.state !== 'done' && nextPlace)
      current = await nextPlace.open(recorded); // root.key.next, when the crash came before the rename
    ring = new RootRing(current ?? (await openRootOfTrust(options, place, recorded)));
    if (rotation?.state === 'rewrapping' && nextPlace && !ring.holds(rotation.to.keyCheckValue)) {
      const next = await nextPlace.open(rotation.to.keyCheckValue);
      if (next) await ring.addNext(next);
    }
  } catch (err) {
    await ring?.close();
    place?.close?.();
    throw err;
  } finally {
    migrationTarget?.close?.(); // its root key, if needed, is in the ring now; the migration makes its own place
  }
  const catchUp = catchUpHook(ring, place, store);
  ring.catchUp = catchUp;
  let stopChecks = (): void => undefined;
  if (store.dialect === 'postgres') {
    // Other nodes may rotate the root: check every CHECK_EVERY_MS (never inside a request's transaction, so a wrap
    // never waits for a pooled connection), and refuse wraps while behind.
    const timer = setInterval(() => {
      catchUp().catch(() => undefined); // sets or clears ring.behind
    }, CHECK_EVERY_MS);
    timer.unref();
    stopChecks = () => {
      clearInterval(timer);
    };
  }
  ring.onClose = () => {
    stopChecks();
    place.close?.(); // a Shamir root's unseal key leaves memory with the root
  };
  return { ring, place };
}

/**
 * Another node rotated the root (PostgreSQL): hold its next root key when this node can open it (the same token;
 * a file put in place as root.key.next), adopt it once the store is bound to it; otherwise UNAVAILABLE, retryable,
 * never a generic decryption failure. One catch-up at a time.
 */
function catchUpHook(ring: RootRing, place: RootPlace, store: Store): () => Promise<void> {
  let running: Promise<void> | undefined;
  /** Root keys looked for here and not found: not looked for again (a passphrase costs an scrypt) until a restart. */
  const missing = new Set<string>();
  const catchUp = async (): Promise<void> => {
    const now = await repo.meta.get(store.db, ROOT_KEY_CHECK);
    const rotation = await readRotation(store.db);
    const next = rotation?.state === 'rewrapping' ? rotation.to.keyCheckValue : undefined;
    for (const kcv of [next, now]) {
      if (kcv === undefined || ring.holds(kcv)) continue;
      const found =
        rotation?.to.kind === place.kind && !missing.has(kcv)
          ? await place.open(kcv).catch(() => undefined)
          : undefined;
      if (found === undefined) missing.add(kcv);
      if (found === undefined)
        throw new UnavailableError(
          `the root key was rotated (now ${kcv}) and this node does not hold the new root key: give it the new ` +
            'root key (file: the new root.key; pkcs11: the same token) and restart it; retry',
        );
      await ring.addNext(found);
    }
    if (now !== undefined && ring.nextKeyCheckValue === now) await ring.promote(); // it finished elsewhere
  };
  return () =>
    (running ??= catchUp()
      .then(
        () => {
          ring.behind = undefined;
        },
        (err: unknown) => {
          if (err instanceof UnavailableError) ring.behind = err;
          throw err;
        },
      )
      .finally(() => {
        running = undefined;
      }));
}
