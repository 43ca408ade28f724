// Unwrapping bytes a caller read before a root rotation re-wrapped their row. The rotation promotes the new root key
// (and the old one leaves the ring) while calls run, so a call holding the old bytes can reach the ring too late. On
// a failed unwrap the row is read again: when its wrapped bytes changed, they are unwrapped once more; otherwise the
// first failure stands. Every wrapped column a call reads outside the rotator goes through it: key versions, access-key
// secrets, import tokens' wrapping keys, custom key stores' PINs. Must not import api.
import { UnavailableError } from '@custos/contract';
import type { SecretBytes } from '../../core/secret-bytes.js';
import type { RootOfTrust } from '../../keystore/root-of-trust.js';

/**
 * `root.unwrap(wrapped, aad)`, or, when that fails, the same on what `reread` finds in the store now (undefined:
 * the row is gone or holds nothing). A token out of reach (UNAVAILABLE) is passed on at once.
 */
export async function unwrapCurrent(
  root: RootOfTrust,
  wrapped: Uint8Array,
  aad: Uint8Array,
  reread: () => Promise<Uint8Array | null | undefined>,
): Promise<SecretBytes> {
  try {
    return await root.unwrap(wrapped, aad);
  } catch (failure) {
    if (failure instanceof UnavailableError) throw failure;
    const current = await reread();
    if (!current || Buffer.compare(current, wrapped) === 0) throw failure;
    return root.unwrap(current, aad);
  }
}
