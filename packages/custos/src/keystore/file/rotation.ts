// The files of a rotation of a root kept in a file (the file root, the Shamir root), each step idempotent so that a
// re-run after a crash at any point finishes it:
//   root.key          the root key later starts open
//   root.key.next     the next root key, written (fsync, directory fsync) before any row is re-wrapped under it
//   root.key.retired  the old root key, kept (a hard link) while root.key.next is renamed over root.key
// The steps are the same for every kind of root key file; how a file of one kind is written and opened is its
// RootFileFormat. Must not import store, service or api.
import { constants as fsConstants } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RootOfTrust } from '../root-of-trust.js';
import { createFileRootKey, openFileRootOfTrust, readRootKeyFile } from './index.js';

/** How root key files of one kind are written and opened. */
export interface RootFileFormat {
  /** The file's `seal` field when it is of this kind ('shamir'), undefined for version-1 files (plain, passphrase). */
  readonly seal: string | undefined;
  /** Opens the root key file at `path` (of this kind). */
  open(path: string): Promise<RootOfTrust>;
  /** Writes a new root key file at `path` (never replacing one) and opens it. */
  create(path: string): Promise<RootOfTrust>;
}

export interface FileRootPaths {
  /** root.key */
  readonly path: string;
  readonly passphrase?: string;
  /** scrypt N of the next file (tests only; default that of createFileRootKey). */
  readonly scryptCost?: number;
}

/** The format of file root key files (plain, or sealed by `passphrase`). */
export function fileRootFormat(paths: FileRootPaths): RootFileFormat {
  const passphrase = paths.passphrase !== undefined ? { passphrase: paths.passphrase } : {};
  return {
    seal: undefined,
    open: (path) => openFileRootOfTrust({ path, ...passphrase }),
    create: (path) =>
      createFileRootKey({
        path,
        ...passphrase,
        ...(paths.scryptCost !== undefined ? { scryptCost: paths.scryptCost } : {}),
      }),
  };
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

/** The `seal` field of a root key file's JSON (undefined when it has none or is not JSON: its opener says why). */
async function sealOf(path: string): Promise<unknown> {
  const text = await readRootKeyFile(path);
  try {
    const doc: unknown = JSON.parse(text ?? 'null');
    return typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).seal : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens the root key file at `path` if it exists and is of `format`'s kind (a migration between two kinds of root
 * key file leaves one of each: each place opens, promotes and destroys only its own), undefined otherwise.
 */
async function openIfPresent(format: RootFileFormat, path: string): Promise<RootOfTrust | undefined> {
  if (!(await exists(path))) return undefined;
  if ((await sealOf(path)) !== format.seal) return undefined;
  return format.open(path);
}

/** The next root key: the one an earlier, interrupted run wrote, or a new one (durable before this returns). */
export async function createNextRoot(format: RootFileFormat, path: string): Promise<RootOfTrust> {
  const found = await openIfPresent(format, nextPath(path));
  if (found) return found;
  return format.create(nextPath(path));
}

/** The root key `kcv` in root.key.next or root.key, if one of them holds it. */
export async function openRootWithCheckValue(
  format: RootFileFormat,
  path: string,
  kcv: string,
): Promise<RootOfTrust | undefined> {
  for (const candidate of [nextPath(path), path]) {
    const root = await openIfPresent(format, candidate);
    if (root?.keyCheckValue === kcv) return root;
    await root?.close();
  }
  return undefined;
}

/**
 * Makes root.key.next the root key: the old root.key is kept as root.key.retired (a hard link, so root.key always
 * exists), then root.key.next is renamed over root.key. Nothing to do when root.key.next is gone (done before).
 */
export async function promoteNextRoot(path: string): Promise<void> {
  const next = nextPath(path);
  if (!(await exists(next))) return;
  if ((await exists(path)) && !(await exists(retiredPath(path)))) {
    await link(path, retiredPath(path));
    await syncDir(path);
  }
  await rename(next, path);
  await syncDir(path);
}

/**
 * Unlinks every root key file of `format`'s kind (root.key.retired, root.key, root.key.next) that holds the root key
 * `kcv`, and only those: the file holding the root in use is never touched. Idempotent.
 */
export async function destroyRoot(format: RootFileFormat, path: string, kcv: string): Promise<void> {
  for (const candidate of [retiredPath(path), path, nextPath(path)]) {
    const root = await openIfPresent(format, candidate);
    if (root === undefined) continue;
    const match = root.keyCheckValue === kcv;
    await root.close();
    if (match) {
      await unlink(candidate);
      await syncDir(candidate);
    }
  }
}
