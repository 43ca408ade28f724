// VerifyMac: checks an HMAC against every version, newest first, so MACs made before a rotation keep verifying.
// Must not import api.
import { VerificationFailedError, verifyMacOperation } from '@custos/contract';
import { hmacVerify } from '../../core/algorithms/hmac.js';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { checkUse, countUse, loadKey } from '../key-loading.js';
import { unwrapVersion } from '../key-versions.js';
import { hsmMacMatches } from '../hsm/crypto.js';
import { isHsmKey } from '../hsm/keys.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';
import { checkGrantTokens } from '../grants/grant-token.js';

export const verifyMac = defineOperation(verifyMacOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  refuseUnsupported(input, ['dryRun']);
  checkGrantTokens(ctx, input.grantTokens);
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  checkUse(ctx, key, 'GENERATE_VERIFY_MAC', input.macAlgorithm, false);
  await countUse(ctx, key);
  const versions = await repo.keyVersions.list(ctx.store.db, key.id);
  for (const version of [...versions].reverse()) {
    if (isHsmKey(key)) {
      if (!version.tokenObjectId) continue;
      if (await hsmMacMatches(ctx, version, input.macAlgorithm, input.message, input.mac)) {
        ctx.audit.keyVersion = version.version;
        return { keyId: keyArn(ctx.config, key.id), macValid: true, macAlgorithm: input.macAlgorithm };
      }
      continue;
    }
    if (!version.wrappedMaterial) continue;
    const material = await unwrapVersion(ctx, key, version);
    try {
      if (hmacVerify(input.macAlgorithm, material, input.message, input.mac)) {
        ctx.audit.keyVersion = version.version;
        return { keyId: keyArn(ctx.config, key.id), macValid: true, macAlgorithm: input.macAlgorithm };
      }
    } finally {
      material.wipe();
    }
  }
  throw new VerificationFailedError('INVALID_MAC');
});
