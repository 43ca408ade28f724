// What the certificate operations share: a CertificateSigner over a key's sign path (the private key stays here),
// the trust anchors of a domain, the chain checks of SetKeyCertificate, and `certificateChainOf`, which the JWK
// interface reads for `x5c`. Must not import api.
import { ValidationError, type SigningAlgorithm } from '@custos/contract';
import { sign as signMessage } from '../core/algorithms/signature.js';
import { verifyChain, validityProblem } from '../core/certificates/path.js';
import { defaultCertificateAlgorithm, type CertificateSigner } from '../core/certificates/signer.js';
import { parseCertificate, pemOf, samePublicKey, spkiOf, thumbprints, type x509 } from '../core/certificates/x509.js';
import { specEntry } from '../core/key-specs.js';
import * as repo from '../store/repositories/index.js';
import type { Db } from '../store/index.js';
import type { KeyRecord } from '../store/types.js';
import type { OpContext, ServiceContext } from './context.js';
import { checkUse, countUse } from './key-loading.js';
import { hsmSign } from './hsm/crypto.js';
import { isHsmKey } from './hsm/keys.js';
import { getVersion, latestPrivateKey, latestVersion } from './key-versions.js';
import { requirePublicKey } from './require-public-key.js';

/** The trust store domain when a request names none. */
export const DEFAULT_TRUST_DOMAIN = 'default';

/**
 * A key's certificate chain (PEM, leaf first), or null when it has none: what a JWK's `x5c` carries.
 * @example const chain = await certificateChainOf(ctx, key.id);
 */
export async function certificateChainOf(ctx: ServiceContext, keyId: string): Promise<readonly string[] | null> {
  const record = await repo.keyCertificates.get(ctx.store.db, keyId);
  return record ? record.chain : null;
}

/** The public key (SPKI DER) of the key's latest version. */
export async function latestPublicKey(ctx: OpContext, key: KeyRecord): Promise<Uint8Array> {
  const version = await getVersion(ctx, key, key.latestVersion);
  return requirePublicKey(version.publicKey, `version ${version.version} of ${key.id}`);
}

/**
 * A signer for certificates and CSRs with the key's latest version: the usage, algorithm and constraints are
 * checked now, and each signature counts as a use of the key (as Sign does).
 */
export async function keySigner(
  ctx: OpContext,
  key: KeyRecord,
  requested: SigningAlgorithm | undefined,
): Promise<CertificateSigner> {
  const algorithm = requested ?? defaultCertificateAlgorithm(specEntry(key.spec));
  const spec = checkUse(ctx, key, 'SIGN_VERIFY', algorithm, true);
  const publicKey = await latestPublicKey(ctx, key);
  return {
    spec,
    algorithm,
    publicKey,
    async sign(message) {
      // An HSM-protected key signs in its token, as Sign does.
      const signature = isHsmKey(key)
        ? await hsmSign(ctx, spec, await latestVersion(ctx, key), algorithm, message, 'RAW')
        : signMessage(spec, algorithm, await latestPrivateKey(ctx, key), message, 'RAW');
      await countUse(ctx, key);
      return signature;
    },
  };
}

/** The anchors of a domain, parsed. */
export async function trustAnchors(db: Db, domain: string): Promise<x509.X509Certificate[]> {
  const records = await repo.trustedCertificates.inDomain(db, domain);
  return records.map((r) => parseCertificate(r.certificate, `trust anchor ${r.id}`));
}

/**
 * SetKeyCertificate's checks: the leaf certifies `publicKey` (CERTIFICATE_KEY_MISMATCH otherwise); one self-signed
 * certificate must carry a valid self-signature and be within its validity period; any other chain must verify to
 * an anchor of `domain` (CERTIFICATE_NOT_TRUSTED otherwise). Returns the leaf.
 */
export async function checkKeyChain(
  ctx: OpContext,
  chain: readonly x509.X509Certificate[],
  publicKey: Uint8Array,
  domain: string,
): Promise<x509.X509Certificate> {
  const leaf = chain[0];
  if (!leaf) throw new ValidationError('the chain is empty', 'INVALID_CERTIFICATE');
  if (!samePublicKey(spkiOf(leaf), publicKey))
    throw new ValidationError("the certificate's public key is not the key's", 'CERTIFICATE_KEY_MISMATCH');
  const now = ctx.now();
  if (chain.length === 1 && (await leaf.isSelfSigned())) {
    const problem = validityProblem(leaf, now);
    if (problem) throw new ValidationError(problem.detail, 'CERTIFICATE_NOT_TRUSTED');
    return leaf;
  }
  const verdict = await verifyChain(chain, await trustAnchors(ctx.store.db, domain), now);
  if (!verdict.valid)
    throw new ValidationError(
      `the chain does not verify in trust domain ${domain}: ${verdict.detail ?? 'unknown reason'}`,
      'CERTIFICATE_NOT_TRUSTED',
    );
  return leaf;
}

/** A certificate Custos just made: its PEM and thumbprints, with what its audit record says of it (no bytes). */
export function madeCertificate(
  ctx: OpContext,
  certificate: x509.X509Certificate,
  isCa: boolean,
): { pem: string; prints: { sha1: string; sha256: string } } {
  const prints = thumbprints(certificate);
  ctx.audit.details = {
    subject: certificate.subject,
    isCa,
    serial: certificate.serialNumber,
    thumbprint: prints.sha256,
  };
  return { pem: pemOf(certificate), prints };
}
