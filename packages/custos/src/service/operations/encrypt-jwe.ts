// EncryptJwe: a compact JWE for the key — RSA-OAEP-256 + A256GCM to an RSA key's public key, `dir` + A*GCM with a
// symmetric key's latest version (named in the header's `kver`, so the JWE decrypts after rotation). Must not
// import api.
import { LimitExceededError, ValidationError, encryptJweOperation } from '@custos/contract';
import { dirEncrypt, rsaOaepEncryptJwe } from '../../core/jose/jwe.js';
import { specEntry } from '../../core/key-specs.js';
import { defineOperation } from '../define-operation.js';
import { publicKeyObjectOf } from '../jose/jwk-of.js';
import { refuseHsmKey } from '../hsm/keys.js';
import { checkUse, countUse, loadKey } from '../key-loading.js';
import { latestMaterial } from '../key-versions.js';
import { USABLE } from '../lifecycle.js';

export const encryptJwe = defineOperation(
  encryptJweOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    refuseHsmKey(key, 'JWE');
    const spec = specEntry(key.spec);
    if (spec.family.material === 'pkcs8') {
      checkUse(ctx, key, 'ENCRYPT_DECRYPT', 'RSAES_OAEP_SHA_256', true);
      ctx.audit.details = { alg: 'RSA-OAEP-256', enc: 'A256GCM' };
      const jwe = await rsaOaepEncryptJwe(await publicKeyObjectOf(ctx, key), key.id, input.plaintext);
      await countUse(ctx, key);
      return { jwe };
    }
    checkUse(ctx, key, 'ENCRYPT_DECRYPT', 'SYMMETRIC_DEFAULT', true);
    const enc = spec.family.joseAlg(spec, 'SYMMETRIC_DEFAULT');
    if (enc === undefined)
      throw new ValidationError(`a ${key.spec} key has no JWE content encryption`, 'INVALID_KEY_USAGE');
    await countUse(ctx, key);
    const { version, material } = await latestMaterial(ctx, key);
    ctx.audit.details = { alg: 'dir', enc };
    // Random IVs under one version are bounded as Encrypt bounds them (SP 800-38D §8.3); Encrypt rotates past it.
    if (
      (await ctx.counters.next(ctx.store.db, key.id, version.version, version.encryptionCount)) >
      ctx.config.maxEncryptionsPerVersion
    ) {
      material.wipe();
      throw new LimitExceededError(
        'the key version has reached its encryption bound: rotate the key (or Encrypt once)',
      );
    }
    let jwe: string;
    try {
      jwe = dirEncrypt(material, { alg: 'dir', enc, kid: key.id, kver: version.version }, input.plaintext);
    } finally {
      material.wipe();
    }
    return { jwe };
  },
);
