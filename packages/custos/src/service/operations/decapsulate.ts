// Decapsulate (AWS KMS Decapsulate): the shared secret of an ML-KEM ciphertext, with the newest version's private
// key (a KEM ciphertext names no version; ML-KEM's implicit rejection cannot tell versions apart). Must not import api.
import { decapsulateOperation, InternalError } from '@custos/contract';
import { mlKemDecapsulate } from '../../core/algorithms/ml-kem.js';
import { PqPrivateKey } from '../../core/pq/private-key.js';
import { defineOperation } from '../define-operation.js';
import { checkGrantTokens } from '../grants/grant-token.js';
import { checkUse, countUseOrWipe, loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { latestPrivateKey } from '../key-versions.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';

export const decapsulate = defineOperation(
  decapsulateOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    refuseUnsupported(input, ['dryRun']);
    checkGrantTokens(ctx, input.grantTokens);
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const spec = checkUse(ctx, key, 'ENCAPSULATE_DECAPSULATE', input.encapsulationAlgorithm, false);
    const prepared = (await latestPrivateKey(ctx, key)).key;
    if (!(prepared instanceof PqPrivateKey)) throw new InternalError(`${key.spec} is not a post-quantum key`);
    // INVALID_CIPHERTEXT for a ciphertext of the wrong length, before the use is counted.
    const sharedSecret = mlKemDecapsulate(spec, prepared, input.sharedSecretCiphertextBlob);
    await countUseOrWipe(ctx, key, sharedSecret); // past the key's use limit the secret is wiped
    return {
      keyId: keyArn(ctx.config, key.id),
      sharedSecret,
      encapsulationAlgorithm: input.encapsulationAlgorithm,
    };
  },
);
