// What the service offers about the Shamir root of trust beyond LocalKms.open: the offline `operator init` of a data
// directory, and the checks a sealed server makes on each share before it has enough. Must not import api.
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError } from '@custos/contract';
import { createShamirRootKeyFile } from '../keystore/shamir/index.js';

export { readShamirHeader, shareIndex } from '../keystore/shamir/index.js';

/** Where a data directory's root key file is unless one is named (LocalKms's default too). */
export function rootKeyFilePath(dataDir: string, rootKeyFile?: string): string {
  return rootKeyFile ?? join(dataDir, 'root.key');
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * `custos operator init`: on a data directory with no root key file and no SQLite store, creates the Shamir-sealed
 * root key file and returns its unseal shares (stored nowhere). ALREADY_EXISTS, with nothing written, otherwise.
 * @example const { unsealShares } = await initShamir({ dataDir: 'data', shares: 5, threshold: 3 });
 */
export async function initShamir(options: {
  readonly dataDir: string;
  readonly rootKeyFile?: string;
  readonly shares: number;
  readonly threshold: number;
}): Promise<{ unsealShares: string[] }> {
  const path = rootKeyFilePath(options.dataDir, options.rootKeyFile);
  if (await exists(join(options.dataDir, 'custos.db')))
    throw new ConflictError(`${options.dataDir} already holds a store (custos.db): init is for a new data directory`);
  if (await exists(path)) throw new ConflictError(`a root key file already exists: ${path}`);
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  return createShamirRootKeyFile(path, { shares: options.shares, threshold: options.threshold });
}

/** CONFLICT when a root.key.next from an interrupted `migrate-root --to shamir` is there (before the store opens). */
export async function refuseShamirMigrationLeftover(rootKeyFile: string): Promise<void> {
  if (await exists(`${rootKeyFile}.next`)) throw leftover(`${rootKeyFile}.next`);
}

const leftover = (next: string): ConflictError =>
  new ConflictError(
    `${next} exists: an earlier migrate-root --to shamir was interrupted. If it printed its unseal shares, ` +
      'resume it with them (--shamir-share-file <file>, one share per line); if it printed none, no key was ' +
      `re-wrapped under it yet: delete ${next} and run the command again`,
  );

/**
 * `custos operator migrate-root --to shamir`, its first step: writes root.key.next sealed under a NEW unseal key and
 * returns its shares, before any row is re-wrapped under it. A root.key.next already there is never replaced
 * (CONFLICT, naming what to do): it comes from an interrupted run, whose shares were printed if any row moved.
 * @example const { unsealShares } = await createShamirMigrationTarget('data/root.key', { shares: 5, threshold: 3 });
 */
export async function createShamirMigrationTarget(
  rootKeyFile: string,
  counts: { readonly shares: number; readonly threshold: number },
): Promise<{ unsealShares: string[] }> {
  const next = `${rootKeyFile}.next`;
  try {
    return await createShamirRootKeyFile(next, counts);
  } catch (cause) {
    if (!(cause instanceof ConflictError)) throw cause;
    throw leftover(next);
  }
}
