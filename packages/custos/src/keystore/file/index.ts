// The file root of trust: a 256-bit root key in a file (mode 0600), plain or sealed with a passphrase (scrypt).
// Must not import store, service or api.
import type { RootOfTrust } from '../root-of-trust.js';

export interface FileRootOfTrustOptions {
  /** Path of the root key file. */
  readonly path: string;
  /** When set, the file is (or will be) sealed: the root key is encrypted under a scrypt-derived key. */
  readonly passphrase?: string;
  /** Create the file (with a fresh random key) if it does not exist. Default false. */
  readonly create?: boolean;
}

/**
 * Opens (or creates) a root key file. Errors: file missing and create false; wrong passphrase; a sealed file
 * opened without a passphrase; a plain file opened with one; a file with permissions wider than 0600 or
 * malformed content. Each is a clear ValidationError/InternalError whose message never contains key bytes.
 */
export async function openFileRootOfTrust(options: FileRootOfTrustOptions): Promise<RootOfTrust> {
  throw new Error('not implemented');
}
