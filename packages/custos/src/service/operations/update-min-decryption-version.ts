// UpdateMinDecryptionVersion: the oldest version of a symmetric encryption key that Decrypt (and ReEncrypt's source,
// DecryptJwe) accepts; older ciphertexts fail with KEY_VERSION_BELOW_MINIMUM. Must not import api.
import { updateMinDecryptionVersionOperation, ValidationError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { keyArn } from '../key-ref.js';
import { WITH_MATERIAL } from '../lifecycle.js';
import { requireSymmetricEncryptionKey } from '../usage/versions.js';
import { loadLocked } from './destroy-key.js';

export const updateMinDecryptionVersion = defineOperation(
  updateMinDecryptionVersionOperation,
  { access: 'manage', states: WITH_MATERIAL },
  async (ctx, input) => {
    const wanted = input.minDecryptionVersion;
    ctx.audit.details = { minDecryptionVersion: wanted };
    return ctx.transaction(async (tx) => {
      const key = await loadLocked(ctx, tx, input.keyId);
      requireSymmetricEncryptionKey(key, 'a minimum decryption version');
      if (wanted > key.latestVersion)
        throw new ValidationError(
          `minDecryptionVersion ${String(wanted)} is above the key's current version ${String(key.latestVersion)}`,
        );
      // Vault allows lowering the minimum until the versions are trimmed: never below what a trim has taken.
      if (wanted < key.trimFloor)
        throw new ValidationError(
          `versions below ${String(key.trimFloor)} are trimmed (or scheduled to be): the minimum cannot go below it`,
        );
      if (wanted !== key.minDecryptionVersion)
        await repo.keys.update(tx, key.id, { minDecryptionVersion: wanted, updatedAt: ctx.now() });
      return {
        keyId: keyArn(ctx.config, key.id),
        minDecryptionVersion: wanted,
        currentKeyVersion: key.latestVersion,
      };
    });
  },
);
