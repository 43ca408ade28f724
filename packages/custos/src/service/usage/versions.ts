// The minimum decryption version of symmetric encryption keys (Vault transit's min_decryption_version) and the trim
// that destroys older versions: the rules shared by Decrypt, DecryptJwe, the operations that set them and the job.
// Must not import api.
import { InvalidStateError, ValidationError } from '@custos/contract';
import { specEntry } from '../../core/key-specs.js';
import type { KeyRecord } from '../../store/types.js';

/** Whether the key holds symmetric ciphertexts (ENCRYPT_DECRYPT with AES): the keys a minimum applies to. */
export function isSymmetricEncryptionKey(key: Pick<KeyRecord, 'usage' | 'spec'>): boolean {
  return key.usage === 'ENCRYPT_DECRYPT' && specEntry(key.spec).encryption.includes('SYMMETRIC_DEFAULT');
}

/** VALIDATION_ERROR unless the key is a symmetric encryption key (`what`: the operation, for the message). */
export function requireSymmetricEncryptionKey(key: KeyRecord, what: string): void {
  if (!isSymmetricEncryptionKey(key))
    throw new ValidationError(`${what} is for symmetric ENCRYPT_DECRYPT keys, not a ${key.usage} ${key.spec} key`);
}

/**
 * KEY_VERSION_BELOW_MINIMUM when `version` is older than the key's minimum decryption version. The blob's header
 * names its version in the clear, so saying so leaks nothing a ciphertext holder does not already know.
 */
export function checkMinDecryptionVersion(key: KeyRecord, version: number): void {
  if (version < key.minDecryptionVersion)
    throw new InvalidStateError(
      `the ciphertext is under version ${String(version)} of the key, below its minimum decryption version ` +
        `${String(key.minDecryptionVersion)}: re-encrypt such data while the version is still accepted`,
      'KEY_VERSION_BELOW_MINIMUM',
    );
}
