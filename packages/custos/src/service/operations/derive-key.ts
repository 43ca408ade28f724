// DeriveKey (Custos): HKDF or PBKDF2 from a DERIVE_KEY key; the result is returned, or stored as a new
// managed symmetric key whose material never leaves the service.
import { deriveKeyOperation, type DeriveKeyRequest } from '@custos/contract';
import { deriveKey as kdf } from '../../core/algorithms/kdf.js';
import { exposeSecret } from '../../core/secret-bytes.js';
import { defineOperation } from '../define-operation.js';
import { checkUse, countUse, loadKey } from '../key-loading.js';
import { latestMaterial } from '../key-versions.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { storeDerivedKey, storedKey, type StoredKey } from '../store-derived-key.js';

/**
 * numberOfBytes (the bytes are returned) or storeAs (they become a new symmetric key): the request schema's union
 * admits exactly one of them, so a request with both or neither has already failed validation.
 */
function derivedOutput(input: DeriveKeyRequest): { readonly length: number; readonly stored?: StoredKey } {
  if (input.storeAs === undefined) return { length: input.numberOfBytes };
  const stored = storedKey(input.storeAs);
  return { length: stored.length, stored };
}

export const deriveKey = defineOperation(deriveKeyOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  const { length, stored } = derivedOutput(input);
  // Parameters that do not fit the algorithm (iterations for HKDF, info for PBKDF2) are refused by core's deriveKey.

  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  checkUse(ctx, key, 'DERIVE_KEY', input.derivationAlgorithm, true);
  const { material } = await latestMaterial(ctx, key);
  const derived = (() => {
    try {
      return kdf(input.derivationAlgorithm, material, {
        salt: input.salt,
        length,
        ...(input.info ? { info: input.info } : {}),
        ...(input.iterations !== undefined ? { iterations: input.iterations } : {}),
      });
    } finally {
      material.wipe();
    }
  })();
  // Counted once the parameters have proved valid (a short salt or missing iterations is refused, not a use).
  try {
    await countUse(ctx, key);
  } catch (error) {
    derived.wipe();
    throw error;
  }
  ctx.audit.details = { derivationAlgorithm: input.derivationAlgorithm, stored: Boolean(stored) };
  if (!stored) {
    const plaintext = new Uint8Array(exposeSecret(derived));
    derived.wipe();
    return { keyId: keyArn(ctx.config, key.id), plaintext };
  }
  const keyMetadata = await storeDerivedKey(
    ctx,
    stored,
    derived,
    `derived from ${key.id} with ${input.derivationAlgorithm}`,
  );
  return { keyId: keyArn(ctx.config, key.id), keyMetadata };
});
