// GenerateMac: an HMAC of a message with the newest version of an HMAC key.
// Must not import api.
import { generateMacOperation } from '@custos/contract';
import { hmacGenerate } from '../../core/algorithms/hmac.js';
import { defineOperation } from '../define-operation.js';
import { checkUse, countUse, loadKey } from '../key-loading.js';
import { latestMaterial, latestVersion } from '../key-versions.js';
import { hsmMac } from '../hsm/crypto.js';
import { isHsmKey } from '../hsm/keys.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';
import { checkGrantTokens } from '../grants/grant-token.js';

export const generateMac = defineOperation(
  generateMacOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    refuseUnsupported(input, ['dryRun']);
    checkGrantTokens(ctx, input.grantTokens);
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    checkUse(ctx, key, 'GENERATE_VERIFY_MAC', input.macAlgorithm, true);
    await countUse(ctx, key);
    if (isHsmKey(key)) {
      const mac = await hsmMac(ctx, await latestVersion(ctx, key), input.macAlgorithm, input.message);
      return { keyId: keyArn(ctx.config, key.id), mac, macAlgorithm: input.macAlgorithm };
    }
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
  },
);
