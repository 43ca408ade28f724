// GetPublicKey: SPKI DER (as AWS) and a JWK with kid, kty, crv, alg and key_ops.
import { ValidationError, getPublicKeyOperation, type GetPublicKeyResponse, type KeyUsage } from '@custos/contract';
import { publicJwk } from '../../core/keys.js';
import { keySpec } from '../../core/key-specs.js';
import { defineOperation } from '../define-operation.js';
import { keyArn } from '../key-ref.js';
import { getVersion, loadKey, supportedAlgorithms } from '../key-loading.js';
import { USABLE } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';

/** JWK key_ops for a public key by usage (RFC 7517 4.3). */
const PUBLIC_KEY_OPS: Record<KeyUsage, readonly string[]> = {
  ENCRYPT_DECRYPT: ['encrypt', 'wrapKey'],
  SIGN_VERIFY: ['verify'],
  KEY_AGREEMENT: [],
  GENERATE_VERIFY_MAC: [],
  DERIVE_KEY: [],
};

/** JWA names (RFC 7518, 8037) for the algorithms a JWK can carry. */
const JWA: Record<string, string> = {
  RSAES_OAEP_SHA_1: 'RSA-OAEP',
  RSAES_OAEP_SHA_256: 'RSA-OAEP-256',
  RSASSA_PSS_SHA_256: 'PS256',
  RSASSA_PSS_SHA_384: 'PS384',
  RSASSA_PSS_SHA_512: 'PS512',
  RSASSA_PKCS1_V1_5_SHA_256: 'RS256',
  RSASSA_PKCS1_V1_5_SHA_384: 'RS384',
  RSASSA_PKCS1_V1_5_SHA_512: 'RS512',
  ECDSA_SHA_256: 'ES256',
  ECDSA_SHA_384: 'ES384',
  ECDSA_SHA_512: 'ES512',
  ED25519_SHA_512: 'EdDSA',
};

/** The JWK `alg` when the key (after its constraints) has exactly one algorithm with a JWA name. */
export function jwkAlg(algorithms: readonly string[]): string | undefined {
  const named = algorithms.filter((a) => JWA[a]);
  return named.length === 1 ? JWA[named[0]!] : undefined;
}

/** Readable by key administrators too (AWS: kms:GetPublicKey), but only while the key is Enabled. */
const rule = { access: 'read', states: USABLE } as const;

export const getPublicKey = defineOperation(getPublicKeyOperation, rule, async (ctx, input) => {
  refuseUnsupported(input, ['grantTokens']);
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  const spec = keySpec(key.spec);
  const version = await getVersion(ctx, key, key.latestVersion);
  if (!version.publicKey) throw new ValidationError(`a ${key.spec} key has no public key`, 'INVALID_KEY_USAGE');
  ctx.audit.keyVersion = version.version;
  const algorithms = key.allowedAlgorithms ?? supportedAlgorithms(spec, key.usage);
  const alg = jwkAlg(algorithms);
  const jwk = publicJwk(spec, version.publicKey, {
    kid: key.id,
    keyOps: PUBLIC_KEY_OPS[key.usage],
    ...(alg ? { alg } : {}),
  });
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
    jwk,
  } as GetPublicKeyResponse;
});
