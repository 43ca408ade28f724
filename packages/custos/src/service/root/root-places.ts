// Where a root key lives, and the steps a rotation takes there, each idempotent: make the next root key (or find the
// one an interrupted run made), make it the one later starts open, destroy an old one. A new kind of root (shamir)
// is one more place. Must not import api.
import { ValidationError } from '@custos/contract';
import {
  createNextRoot,
  nextPath,
  destroyRoot,
  fileRootFormat,
  openRootWithCheckValue,
  promoteNextRoot,
  type FileRootPaths,
  type RootFileFormat,
} from '../../keystore/file/rotation.js';
import { openPkcs11RootOfTrust, type Pkcs11RootOfTrustOptions } from '../../keystore/pkcs11/index.js';
import { access } from 'node:fs/promises';
import type { RootOfTrust } from '../../keystore/root-of-trust.js';
import { ShamirUnsealKey } from '../../keystore/shamir/index.js';
import type { Pkcs11Place, RootKind } from './rotation-state.js';

export interface RootPlace {
  readonly kind: RootKind;
  /** What the rotation record keeps of it (never a PIN or passphrase). */
  readonly pkcs11?: Pkcs11Place;
  /** The next root key: a new one, or the one an interrupted run made (file: root.key.next). */
  createNext(): Promise<RootOfTrust>;
  /** The root key `kcv` made here by an earlier run, if it is here. */
  open(kcv: string): Promise<RootOfTrust | undefined>;
  /** Makes the next root key the one later starts open (file: rename over root.key). */
  promote(): Promise<void>;
  /** Destroys the root key `kcv`, if it is here. */
  destroy(kcv: string): Promise<void>;
  /** Opens the root key later starts open, with what the place holds (shamir: root.key under its unseal key). */
  openCurrent?(): Promise<RootOfTrust>;
  /** Drops what the place holds in memory (a Shamir root's unseal key). */
  close?(): void;
}

/** A root kept in a root key file at `path`, of one kind (`format`). */
function rootFilePlace(kind: RootKind, path: string, format: RootFileFormat): RootPlace {
  return {
    kind,
    createNext: () => createNextRoot(format, path),
    open: (kcv) => openRootWithCheckValue(format, path, kcv),
    promote: () => promoteNextRoot(path),
    destroy: (kcv) => destroyRoot(format, path, kcv),
  };
}

export function filePlace(paths: FileRootPaths): RootPlace {
  return rootFilePlace('file', paths.path, fileRootFormat(paths));
}

/**
 * A Shamir root: its next root key is sealed under the same unseal key (`unsealKey`, held while the root is open and
 * wiped by `close`), so the operators' shares open it too.
 */
export function shamirPlace(path: string, unsealKey: ShamirUnsealKey): RootPlace {
  const format: RootFileFormat = {
    seal: 'shamir',
    open: (file) => unsealKey.open(file),
    create: (file) => unsealKey.create(file),
  };
  return {
    ...rootFilePlace('shamir', path, format),
    openCurrent: () => unsealKey.open(path),
    close: () => {
      unsealKey.wipe();
    },
  };
}

/**
 * A migration's Shamir target: its root.key.next (made, and its shares shown, before the migration started) or, once
 * renamed, root.key, opened with `shares` (FOREIGN_SHARE, TOO_FEW_SHARES, WRONG_SHARES... as an unseal).
 */
export async function shamirTargetPlace(path: string, shares: readonly string[]): Promise<RootPlace> {
  const next = nextPath(path);
  const file = await access(next).then(
    () => next,
    () => path,
  );
  return shamirPlace(path, await ShamirUnsealKey.fromShares(file, shares));
}

export type Pkcs11PlaceOptions = Omit<Pkcs11RootOfTrustOptions, 'create' | 'expectedKeyCheckValue' | 'generate'>;

export function pkcs11Place(options: Pkcs11PlaceOptions): RootPlace {
  const openKey = async (kcv: string) => {
    const root = await openPkcs11RootOfTrust({ ...options, expectedKeyCheckValue: kcv }).catch((err: unknown) => {
      if (err instanceof ValidationError) return undefined; // no key with the label
      throw err;
    });
    if (root === undefined || root.keyCheckValue === kcv) return root;
    await root.close(); // the label's other key: the one asked for is gone
    return undefined;
  };
  return {
    kind: 'pkcs11',
    pkcs11: {
      module: options.module,
      tokenLabel: options.tokenLabel,
      ...(options.keyLabel !== undefined ? { keyLabel: options.keyLabel } : {}),
    },
    // A new key under the same label: the store's recorded check value tells them apart on later starts.
    createNext: () => openPkcs11RootOfTrust({ ...options, generate: true }),
    open: openKey,
    promote: () => Promise.resolve(),
    destroy: async (kcv) => {
      const root = await openKey(kcv);
      await root?.destroy();
    },
  };
}
