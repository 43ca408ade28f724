// ExportKey (Custos): private or secret key material as JWK or PKCS#8 PEM, only for keys created exportable.
// Needs the `export` right (admin only by default, see lifecycle.ts); the wrapper audits every call, allowed or refused.
import { AccessDeniedError, UnsupportedError, exportKeyOperation } from '@custos/contract';
import { privateJwk, privatePem } from '../../core/key-material.js';
import { isSymmetric, specEntry } from '../../core/key-specs.js';
import { defineOperation } from '../define-operation.js';
import { keyArn } from '../key-ref.js';
import { loadKey, supportedAlgorithms } from '../key-loading.js';
import { getVersion, unwrapVersion } from '../key-versions.js';
import { USABLE } from '../lifecycle.js';

const PRIVATE_KEY_OPS = {
  ENCRYPT_DECRYPT: ['encrypt', 'decrypt'],
  SIGN_VERIFY: ['sign', 'verify'],
  GENERATE_VERIFY_MAC: ['sign', 'verify'],
  KEY_AGREEMENT: ['deriveBits'],
  DERIVE_KEY: ['deriveKey', 'deriveBits'],
  // WebCrypto's ML-KEM usages (WICG webcrypto-modern-algos §ML-KEM).
  ENCAPSULATE_DECAPSULATE: ['encapsulateBits', 'decapsulateBits'],
} as const;

export const exportKey = defineOperation(
  exportKeyOperation,
  { access: 'export', states: USABLE },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    ctx.audit.details = { format: input.format };
    if (!key.exportable) throw new AccessDeniedError('the key was not created exportable');
    const spec = specEntry(key.spec);
    if (input.format === 'PEM' && isSymmetric(spec)) throw new UnsupportedError('symmetric keys export as JWK only');
    const version = await getVersion(ctx, key, input.keyVersion ?? key.latestVersion);
    ctx.audit.keyVersion = version.version;
    const material = await unwrapVersion(ctx, key, version);
    try {
      if (input.format === 'PEM')
        return { keyId: keyArn(ctx.config, key.id), keyVersion: version.version, pem: privatePem(spec, material) };
      const jwk = privateJwk(spec, material, {
        kid: key.id,
        algorithms: key.allowedAlgorithms ?? supportedAlgorithms(spec, key.usage),
        keyOps: PRIVATE_KEY_OPS[key.usage],
      });
      return { keyId: keyArn(ctx.config, key.id), keyVersion: version.version, jwk };
    } finally {
      material.wipe();
    }
  },
);
