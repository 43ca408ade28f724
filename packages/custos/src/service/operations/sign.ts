// Sign: RAW messages or precomputed DIGESTs (the contract schema bounds both at MAX_MESSAGE_BYTES).
// Must not import api.
import { signOperation } from '@custos/contract';
import { sign as signMessage } from '../../core/algorithms/signature.js';
import { defineOperation } from '../define-operation.js';
import { checkUse, countUse, loadKey } from '../key-loading.js';
import { latestPrivateKey, latestVersion } from '../key-versions.js';
import { hsmSign } from '../hsm/crypto.js';
import { isHsmKey } from '../hsm/keys.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';
import { checkGrantTokens } from '../grants/grant-token.js';

export const sign = defineOperation(signOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  refuseUnsupported(input, ['dryRun']);
  checkGrantTokens(ctx, input.grantTokens);
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  const spec = checkUse(ctx, key, 'SIGN_VERIFY', input.signingAlgorithm, true);
  const messageType = input.messageType ?? 'RAW';
  const signature = isHsmKey(key)
    ? await hsmSign(ctx, spec, await latestVersion(ctx, key), input.signingAlgorithm, input.message, messageType)
    : signMessage(spec, input.signingAlgorithm, await latestPrivateKey(ctx, key), input.message, messageType);
  // Counted once the request has proved valid (a bad DIGEST is refused, not a use); past the limit the signature is dropped.
  await countUse(ctx, key);
  ctx.audit.details = { signingAlgorithm: input.signingAlgorithm };
  return { keyId: keyArn(ctx.config, key.id), signature, signingAlgorithm: input.signingAlgorithm };
});
