// Encapsulate (AWS KMS Encapsulate): a fresh shared secret and its ML-KEM ciphertext under the newest version's
// public key. Must not import api.
import { encapsulateOperation } from '@custos/contract';
import { mlKemEncapsulate } from '../../core/algorithms/ml-kem.js';
import { defineOperation } from '../define-operation.js';
import { checkGrantTokens } from '../grants/grant-token.js';
import { checkUse, countUseOrWipe, loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { getVersion } from '../key-versions.js';
import { USABLE } from '../lifecycle.js';
import { requirePublicKey } from '../require-public-key.js';
import { refuseUnsupported } from '../rules.js';

export const encapsulate = defineOperation(
  encapsulateOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    refuseUnsupported(input, ['dryRun']);
    checkGrantTokens(ctx, input.grantTokens);
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const spec = checkUse(ctx, key, 'ENCAPSULATE_DECAPSULATE', input.encapsulationAlgorithm, true);
    const version = await getVersion(ctx, key, key.latestVersion);
    ctx.audit.keyVersion = version.version;
    const { sharedSecret, ciphertext } = mlKemEncapsulate(
      spec,
      requirePublicKey(version.publicKey, `version ${version.version} of ${key.id}`),
    );
    await countUseOrWipe(ctx, key, sharedSecret); // past the key's use limit the secret is wiped
    return {
      keyId: keyArn(ctx.config, key.id),
      sharedSecret,
      sharedSecretCiphertextBlob: ciphertext,
      encapsulationAlgorithm: input.encapsulationAlgorithm,
    };
  },
);
