// The public key of an asymmetric key version or a freshly generated pair, where the spec guarantees one.
// Must not import api. A missing one is a bug (or a corrupt row), never the caller's fault: INTERNAL.
import { InternalError } from '@custos/contract';

/**
 * Returns the public key, or throws InternalError naming what lacked it.
 * @example const spki = requirePublicKey(version.publicKey, `version ${version.version} of ${key.id}`);
 */
export function requirePublicKey(publicKey: Uint8Array | null | undefined, what: string): Uint8Array {
  if (!publicKey) throw new InternalError(`${what} has no public key`);
  return publicKey;
}
