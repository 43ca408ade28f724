// The audit log's keys, derived from the root of trust: the chain's HMAC key (and, later, the checkpoint signing
// key). Must not import api. The bytes are held for the process's life and never logged.
import { exposeSecret } from '../../core/secret-bytes.js';
import type { RootOfTrust } from '../../keystore/root-of-trust.js';

/**
 * The HMAC key of the audit chain (`deriveKey('audit-chain')`), copied out of its SecretBytes (wiped here): the
 * chain needs it on every append, on the SQLite audit worker's thread too.
 * @example const key = await deriveChainKey(rootOfTrust); chainEntries(head, entries, key);
 */
export async function deriveChainKey(rootOfTrust: RootOfTrust): Promise<Uint8Array> {
  const secret = await rootOfTrust.deriveKey('audit-chain');
  try {
    return new Uint8Array(exposeSecret(secret));
  } finally {
    secret.wipe();
  }
}
