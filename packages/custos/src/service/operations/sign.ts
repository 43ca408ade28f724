// Sign and Verify: RAW messages or precomputed DIGESTs (the contract schema bounds both at MAX_MESSAGE_BYTES).
import {
  VerificationFailedError,
  type SignRequest,
  type SignResponse,
  type VerifyRequest,
  type VerifyResponse,
} from '@custos/contract';
import { sign as signMessage, verify as verifySignature } from '../../core/algorithms/signature.js';
import type { OpContext } from '../context.js';
import { keyArn } from '../key-ref.js';
import { checkUse, countUse, getVersion, latestPrivateKey, loadKey } from '../keys.js';
import { refuseUnsupported } from '../rules.js';

export async function sign(ctx: OpContext, input: SignRequest): Promise<SignResponse> {
  refuseUnsupported(input, ['grantTokens', 'dryRun']);
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'Sign');
  const spec = checkUse(ctx, key, 'SIGN_VERIFY', input.signingAlgorithm, true);
  const privateKey = await latestPrivateKey(ctx, key);
  const signature = signMessage(spec, input.signingAlgorithm, privateKey, input.message, input.messageType ?? 'RAW');
  // Counted once the request has proved valid (a bad DIGEST is refused, not a use); past the limit the signature is dropped.
  await countUse(ctx.store.db, key);
  ctx.audit.details = { signingAlgorithm: input.signingAlgorithm };
  return { keyId: keyArn(ctx.config, key.id), signature, signingAlgorithm: input.signingAlgorithm };
}

/** As AWS: a signature that does not verify raises KMSInvalidSignatureException. */
export async function verify(ctx: OpContext, input: VerifyRequest): Promise<VerifyResponse> {
  refuseUnsupported(input, ['grantTokens', 'dryRun']);
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'Verify');
  const spec = checkUse(ctx, key, 'SIGN_VERIFY', input.signingAlgorithm, false);
  const version = await getVersion(ctx, key, key.latestVersion);
  ctx.audit.keyVersion = version.version;
  // Throws VALIDATION_ERROR for a malformed request before the use is counted; a signature that fails to verify is a use.
  const ok = verifySignature(
    spec,
    input.signingAlgorithm,
    version.publicKey!,
    input.message,
    input.messageType ?? 'RAW',
    input.signature,
  );
  await countUse(ctx.store.db, key);
  if (!ok) throw new VerificationFailedError('INVALID_SIGNATURE');
  return { keyId: keyArn(ctx.config, key.id), signatureValid: true, signingAlgorithm: input.signingAlgorithm };
}
