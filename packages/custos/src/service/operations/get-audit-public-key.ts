// GetAuditPublicKey (Custos): the Ed25519 public key of the audit checkpoints (deriveKey('audit-signing')), as SPKI
// PEM, JWK and SHA-256 fingerprint, so that a verifier can pin it. Must not import api.
import { createHash } from 'node:crypto';
import { getAuditPublicKeyOperation, InternalError } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const getAuditPublicKey = defineOperation(
  getAuditPublicKeyOperation,
  { access: 'audit', states: null },
  (ctx, _input) => {
    const publicKey = ctx.auditCheckpoints?.publicKey;
    if (!publicKey) throw new InternalError('audit checkpoints are not configured');
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const { x } = publicKey.export({ format: 'jwk' });
    if (typeof x !== 'string') throw new InternalError('the audit signing key is not an Ed25519 key');
    return Promise.resolve({
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      jwk: { kty: 'OKP' as const, crv: 'Ed25519' as const, x },
      fingerprint: createHash('sha256').update(der).digest('hex'),
    });
  },
);
