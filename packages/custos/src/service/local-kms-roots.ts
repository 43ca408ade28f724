// The roots of trust as LocalKms opens them: the settings that choose one, where a migration puts the next, the
// binding of a store to one root key, and the HSM tokens and module that follow from the root. Must not import api.
import { join } from 'node:path';
import { ValidationError } from '@custos/contract';
import type { Pkcs11RootOfTrustOptions } from '../keystore/pkcs11/index.js';
import type { RootOfTrust } from '../keystore/root-of-trust.js';
import * as repo from '../store/repositories/index.js';
import type { Store } from '../store/index.js';
import { HsmTokens } from './hsm/tokens.js';
import { ROOT_KEY_CHECK } from './root/open-ring.js';
import { filePlace, pkcs11Place, shamirTargetPlace, type RootPlace } from './root/root-places.js';

/** Which root of trust a data directory or cluster uses (see {@link LocalKmsOptions.rootOfTrust}). */
export type RootOfTrustSettings =
  | { readonly kind: 'file' }
  | ({ readonly kind: 'pkcs11' } & Omit<Pkcs11RootOfTrustOptions, 'create' | 'expectedKeyCheckValue'>)
  | { readonly kind: 'shamir'; readonly unsealShares: readonly string[] };

/** The kinds of root of trust (`custos server --root-of-trust`). */
export type RootOfTrustKind = RootOfTrustSettings['kind'];

/** Where a migration moves the root (MigrateRoot). The secrets in it are never logged, stored or audited. */
export type RootTarget =
  | { readonly kind: 'file'; readonly rootKeyFile?: string; readonly passphrase?: string }
  | ({ readonly kind: 'pkcs11' } & Omit<Pkcs11RootOfTrustOptions, 'create' | 'expectedKeyCheckValue' | 'generate'>)
  /** Its root.key.next is made first (api/root-migration.ts), so its shares were shown before any row moves. */
  | { readonly kind: 'shamir'; readonly unsealShares: readonly string[]; readonly rootKeyFile?: string };

/** The LocalKms options these helpers read. */
interface LocalKmsOptionsLike {
  readonly hsmModule?: string;
  readonly rootOfTrust?: RootOfTrustSettings;
}

/** Where a migration to `target` puts the root. */
export async function targetPlace(target: RootTarget, dataDir: string): Promise<RootPlace> {
  if (target.kind === 'pkcs11') {
    const { kind: _kind, ...pkcs11 } = target;
    return pkcs11Place(pkcs11);
  }
  const path = target.rootKeyFile ?? join(dataDir, 'root.key');
  if (target.kind === 'shamir') return shamirTargetPlace(path, target.unsealShares);
  return filePlace({ path, ...(target.passphrase !== undefined ? { passphrase: target.passphrase } : {}) });
}

/** The module custom key stores use: `hsmModule`, else the PKCS#11 root's module (none with a file root). */
export function hsmModuleOf(options: Pick<LocalKmsOptionsLike, 'hsmModule' | 'rootOfTrust'>): { hsmModule?: string } {
  if (options.hsmModule !== undefined) return { hsmModule: options.hsmModule };
  return options.rootOfTrust?.kind === 'pkcs11' ? { hsmModule: options.rootOfTrust.module } : {};
}

/** The tokens of HSM-protected keys: the root of trust's token when the root is PKCS#11 (opened on first use). */
export function hsmTokensOf(options: Pick<LocalKmsOptionsLike, 'rootOfTrust'>): HsmTokens {
  const settings = options.rootOfTrust;
  if (settings?.kind !== 'pkcs11') return new HsmTokens(undefined);
  const { module, tokenLabel, pin, sessions } = settings;
  return new HsmTokens({ module, tokenLabel, pin, ...(sessions === undefined ? {} : { sessions }) });
}

/**
 * A store belongs to one root key: the first open records the root key's check value, and a later open with a
 * different root key is refused before anything is written (DESIGN: no node ever writes under a wrong root).
 */
export async function bindRootOfTrust(store: Store, rootOfTrust: RootOfTrust): Promise<void> {
  // Insert-if-absent, then compare: of two nodes racing on an empty database, the second sees the first's value.
  const recorded = await store.transaction((tx) =>
    repo.meta.setIfAbsent(tx, ROOT_KEY_CHECK, rootOfTrust.keyCheckValue),
  );
  if (recorded !== rootOfTrust.keyCheckValue) throw differentRootKey();
}

/** Before migrating: an initialised store (its meta table holds a check value) bound to another root key is refused. Reads only. */
export async function refuseOtherRootOfTrust(store: Store, rootOfTrust: RootOfTrust): Promise<void> {
  const recorded = await repo.meta.peek(store.db, ROOT_KEY_CHECK);
  if (recorded !== undefined && recorded !== rootOfTrust.keyCheckValue) throw differentRootKey();
}

function differentRootKey(): ValidationError {
  return new ValidationError(
    'this store (data directory or database) was initialised with a different root key; refusing to open it',
  );
}
