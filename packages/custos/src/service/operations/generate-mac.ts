// GenerateMac and VerifyMac: HMAC with the newest version; verification tries every version, newest first,
// so MACs made before a rotation keep verifying.
import {
  VerificationFailedError,
  type GenerateMacRequest,
  type GenerateMacResponse,
  type VerifyMacRequest,
  type VerifyMacResponse,
} from '@custos/contract';
import { hmacGenerate, hmacVerify } from '../../core/algorithms/hmac.js';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { keyArn } from '../key-ref.js';
import { checkUse, countUse, latestMaterial, loadKey, unwrapVersion } from '../keys.js';
import { refuseUnsupported } from '../rules.js';

export async function generateMac(ctx: OpContext, input: GenerateMacRequest): Promise<GenerateMacResponse> {
  refuseUnsupported(input, ['grantTokens', 'dryRun']);
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'GenerateMac');
  checkUse(ctx, key, 'GENERATE_VERIFY_MAC', input.macAlgorithm, true);
  await countUse(ctx.store.db, key);
  const { material } = await latestMaterial(ctx, key);
  try {
    return {
      keyId: keyArn(ctx.config, key.id),
      mac: hmacGenerate(input.macAlgorithm, material, input.message),
      macAlgorithm: input.macAlgorithm,
    };
  } finally {
    material.wipe();
  }
}

export async function verifyMac(ctx: OpContext, input: VerifyMacRequest): Promise<VerifyMacResponse> {
  refuseUnsupported(input, ['grantTokens', 'dryRun']);
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'VerifyMac');
  checkUse(ctx, key, 'GENERATE_VERIFY_MAC', input.macAlgorithm, false);
  await countUse(ctx.store.db, key);
  const versions = await repo.keyVersions.list(ctx.store.db, key.id);
  for (const version of [...versions].reverse()) {
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
}
