// Verify: checks a signature over a RAW message or a DIGEST with the newest version.
// Must not import api.
import { VerificationFailedError, verifyOperation } from '@custos/contract';
import { verify as verifySignature } from '../../core/algorithms/signature.js';
import { defineOperation } from '../define-operation.js';
import { checkUse, countUse, loadKey } from '../key-loading.js';
import { getVersion } from '../key-versions.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { requirePublicKey } from '../require-public-key.js';
import { refuseUnsupported } from '../rules.js';
import { checkGrantTokens } from '../grants/grant-token.js';

/** As AWS: a signature that does not verify raises KMSInvalidSignatureException. */
export const verify = defineOperation(verifyOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  refuseUnsupported(input, ['dryRun']);
  checkGrantTokens(ctx, input.grantTokens);
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  const spec = checkUse(ctx, key, 'SIGN_VERIFY', input.signingAlgorithm, false);
  const version = await getVersion(ctx, key, key.latestVersion);
  ctx.audit.keyVersion = version.version;
  // Throws VALIDATION_ERROR for a malformed request before the use is counted; a signature that fails to verify is a use.
  const ok = verifySignature(
    spec,
    input.signingAlgorithm,
    requirePublicKey(version.publicKey, `version ${version.version} of ${key.id}`),
    input.message,
    input.messageType ?? 'RAW',
    input.signature,
  );
  await countUse(ctx, key);
  if (!ok) throw new VerificationFailedError('INVALID_SIGNATURE');
  return { keyId: keyArn(ctx.config, key.id), signatureValid: true, signingAlgorithm: input.signingAlgorithm };
});
