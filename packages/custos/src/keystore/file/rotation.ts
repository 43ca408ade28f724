// The files of a file root's rotation, each step idempotent so that a re-run after a crash at any point finishes it:
//   root.key          the root key later starts open
//   root.key.next     the next root key, written (fsync, directory fsync) before any row is re-wrapped under it
//   root.key.retired  the old root key, kept (a hard link) while root.key.next is renamed over root.key
// Must not import store, service or api.
import { constants as fsConstants } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RootOfTrust } from '../root-of-trust.js';
import { createFileRootKey, openFileRootOfTrust } from './index.js';

export interface FileRootPaths {
  /** root.key */
  readonly path: string;
  readonly passphrase?: string;
  /** scrypt N of the next file (tests only; default that of createFileRootKey). */
  readonly scryptCost?: number;
}

export const nextPath = (path: string): string => `${path}.next`;
const retiredPath = (path: string): string => `${path}.retired`;

async function exists(path: string): Promise<boolean> {
  try {
    const fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    await fh.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function syncDir(path: string): Promise<void> {
  const dh = await open(dirname(path), 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** Opens the root key file at `path` if it exists (with the same passphrase), undefined otherwise. */
export async function openIfPresent(paths: FileRootPaths, path: string): Promise<RootOfTrust | undefined> {
  if (!(await exists(path))) return undefined;
  return openFileRootOfTrust({
    path,
    ...(paths.passphrase !== undefined ? { passphrase: paths.passphrase } : {}),
  });
}

/** The next root key: the one an earlier, interrupted run wrote, or a new one (durable before this returns). */
export async function createNextFileRoot(paths: FileRootPaths): Promise<RootOfTrust> {
  const found = await openIfPresent(paths, nextPath(paths.path));
  if (found) return found;
  return createFileRootKey({
    path: nextPath(paths.path),
    ...(paths.passphrase !== undefined ? { passphrase: paths.passphrase } : {}),
    ...(paths.scryptCost !== undefined ? { scryptCost: paths.scryptCost } : {}),
  });
}

/**
 * Makes root.key.next the root key: the old root.key is kept as root.key.retired (a hard link, so root.key always
 * exists), then root.key.next is renamed over root.key. Nothing to do when root.key.next is gone (done before).
 */
export async function promoteNextFileRoot(paths: FileRootPaths): Promise<void> {
  const next = nextPath(paths.path);
  if (!(await exists(next))) return;
  if ((await exists(paths.path)) && !(await exists(retiredPath(paths.path)))) {
    await link(paths.path, retiredPath(paths.path));
    await syncDir(paths.path);
  }
  await rename(next, paths.path);
  await syncDir(paths.path);
}

/**
 * Unlinks every root key file (root.key.retired, root.key, root.key.next) that holds the root key `kcv`, and only
 * those: the file holding the root in use is never touched. Idempotent.
 */
export async function destroyFileRoot(paths: FileRootPaths, kcv: string): Promise<void> {
  for (const path of [retiredPath(paths.path), paths.path, nextPath(paths.path)]) {
    const root = await openIfPresent(paths, path);
    if (root === undefined) continue;
    const match = root.keyCheckValue === kcv;
    await root.close();
    if (match) {
      await unlink(path);
      await syncDir(path);
    }
  }
}
