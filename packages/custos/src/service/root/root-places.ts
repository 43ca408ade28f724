// Where a root key lives, and the steps a rotation takes there, each idempotent: make the next root key (or find the
// one an interrupted run made), make it the one later starts open, destroy an old one. A new kind of root (shamir)
// is one more place. Must not import api.
import { ValidationError } from '@custos/contract';
import {
  createNextFileRoot,
  destroyFileRoot,
  nextPath,
  openIfPresent,
  promoteNextFileRoot,
  type FileRootPaths,
} from '../../keystore/file/rotation.js';
import { openPkcs11RootOfTrust, type Pkcs11RootOfTrustOptions } from '../../keystore/pkcs11/index.js';
import type { RootOfTrust } from '../../keystore/root-of-trust.js';
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
}

export function filePlace(paths: FileRootPaths): RootPlace {
  return {
    kind: 'file',
    createNext: () => createNextFileRoot(paths),
    open: async (kcv) => {
      for (const path of [nextPath(paths.path), paths.path]) {
        const root = await openIfPresent(paths, path);
        if (root?.keyCheckValue === kcv) return root;
        await root?.close();
      }
      return undefined;
    },
    promote: () => promoteNextFileRoot(paths),
    destroy: (kcv) => destroyFileRoot(paths, kcv),
  };
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
