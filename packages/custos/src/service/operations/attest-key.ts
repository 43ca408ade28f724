// AttestKey (Custos): the attestation identity certifies an asymmetric key's public key with its properties and the
// verifier's challenge (X.509), or signs a symmetric key's properties (JWS). Must not import api.
import { attestKeyOperation, InternalError } from '@custos/contract';
import { attestationCertificate, attestationJws } from '../../core/attestation/certificate.js';
import { pemOf } from '../../core/certificates/x509.js';
import { attestationSetup, attestedProperties } from '../attestation/chain.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { getVersion } from '../key-versions.js';
import { WITH_MATERIAL } from '../lifecycle.js';

/** What DescribeKey shows, signed: `read` (key users and key administrators); a key with material (its state is said). */
export const attestKey = defineOperation(
  attestKeyOperation,
  { access: 'read', states: WITH_MATERIAL },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const version = await getVersion(ctx, key, key.latestVersion);
    const properties = attestedProperties(key, input.challenge);
    const { identity, chain } = await attestationSetup(ctx);
    const identityChain = chain.map(pemOf);
    ctx.audit.keyVersion = version.version;
    const keyId = keyArn(ctx.config, key.id);
    if (version.publicKey === null) {
      ctx.audit.details = { format: 'JWS' };
      return {
        keyId,
        format: 'JWS',
        certificateChain: identityChain,
        jws: await attestationJws(identity, chain, properties),
      };
    }
    const [issuer] = chain;
    if (!issuer) throw new InternalError('the attestation chain is empty');
    const leaf = await attestationCertificate(identity, issuer, version.publicKey, properties, key.usage, ctx.now());
    ctx.audit.details = { format: 'X509', serialNumber: leaf.serialNumber };
    return { keyId, format: 'X509', certificateChain: [pemOf(leaf), ...identityChain] };
  },
);
