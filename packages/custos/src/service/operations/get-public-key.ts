// GetPublicKey: SPKI DER (as AWS) and a JWK with kid, kty, crv, alg and key_ops.
import { ValidationError, getPublicKeyOperation, type GetPublicKeyResponse } from '@custos/contract';
import { specEntry } from '../../core/key-specs.js';
import { defineOperation } from '../define-operation.js';
import { publicJwkOf } from '../jose/jwk-of.js';
import { keyArn } from '../key-ref.js';
import { loadKey, supportedAlgorithms } from '../key-loading.js';
import { getVersion } from '../key-versions.js';
import { USABLE } from '../lifecycle.js';
import { checkGrantTokens } from '../grants/grant-token.js';

/** Readable by key administrators too (AWS: kms:GetPublicKey), but only while the key is Enabled. */
const rule = { access: 'read', states: USABLE } as const;

export const getPublicKey = defineOperation(getPublicKeyOperation, rule, async (ctx, input) => {
  checkGrantTokens(ctx, input.grantTokens);
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  const spec = specEntry(key.spec);
  const version = await getVersion(ctx, key, key.latestVersion);
  if (!version.publicKey) throw new ValidationError(`a ${key.spec} key has no public key`, 'INVALID_KEY_USAGE');
  ctx.audit.keyVersion = version.version;
  // The JWK's alg comes from the key's family and the algorithms it allows (core/jwk.ts); x5c from its certificate.
  const jwk = await publicJwkOf(ctx, key, version.publicKey);
  const list = supportedAlgorithms(spec, key.usage);
  return {
    keyId: keyArn(ctx.config, key.id),
    publicKey: version.publicKey,
    customerMasterKeySpec: key.spec,
    keySpec: key.spec,
    keyUsage: key.usage,
    ...(key.usage === 'ENCRYPT_DECRYPT' ? { encryptionAlgorithms: [...list] } : {}),
    ...(key.usage === 'SIGN_VERIFY' ? { signingAlgorithms: [...list] } : {}),
    ...(key.usage === 'KEY_AGREEMENT' ? { keyAgreementAlgorithms: [...list] } : {}),
    ...(key.usage === 'ENCAPSULATE_DECAPSULATE' ? { encapsulationAlgorithms: [...list] } : {}),
    jwk,
  } as GetPublicKeyResponse;
});
