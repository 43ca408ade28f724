// Sign: RAW messages or precomputed DIGESTs (the contract schema bounds both at MAX_MESSAGE_BYTES).
// Must not import api.
import { signOperation } from '@custos/contract';
import { sign as signMessage } from '../../core/algorithms/signature.js';
import { defineOperation } from '../define-operation.js';
import { checkUse, countUse, loadKey } from '../key-loading.js';
import { latestPrivateKey } from '../key-versions.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';

export const sign = defineOperation(signOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  refuseUnsupported(input, ['grantTokens', 'dryRun']);
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  const spec = checkUse(ctx, key, 'SIGN_VERIFY', input.signingAlgorithm, true);
  const privateKey = await latestPrivateKey(ctx, key);
  const signature = signMessage(spec, input.signingAlgorithm, privateKey, input.message, input.messageType ?? 'RAW');
  // Counted once the request has proved valid (a bad DIGEST is refused, not a use); past the limit the signature is dropped.
  await countUse(ctx.store.db, key);
  ctx.audit.details = { signingAlgorithm: input.signingAlgorithm };
  return { keyId: keyArn(ctx.config, key.id), signature, signingAlgorithm: input.signingAlgorithm };
});
