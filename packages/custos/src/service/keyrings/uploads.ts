// Certificates from outside (MOSIP uploadCertificate, uploadOtherDomainCertificate): an external CA's certificate
// for a keyring's current key, and a partner's certificate with no private key here. Must not import api.
import { randomUUID, X509Certificate } from 'node:crypto';
import { InvalidStateError, NotFoundError, ValidationError } from '@custos/contract';
import { parseCertificate, pemOf, samePublicKey, spkiOf } from '../../core/certificates/x509.js';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { getVersion } from '../key-versions.js';
import { ringPolicy } from './access.js';
import { currentGeneration } from './current.js';
import { laterThan, levelOf, thumbprintOf, uniqueIdentifier, validityPolicy, type Ring } from './rings.js';

/** Parses one PEM certificate of an RSA key of 2048 bits or more (what MOSIP's hybrid format takes). */
function rsaCertificate(pem: string): string {
  const certificate = pemOf(parseCertificate(pem));
  const key = new X509Certificate(certificate).publicKey;
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw new ValidationError(
      'a keyring certificate must certify an RSA key of 2048 bits or more',
      'INVALID_CERTIFICATE',
    );
  return certificate;
}

/**
 * Stores an external CA's certificate for the ring's current key: its public key must be the key's
 * (KEYRING_CERTIFICATE_MISMATCH). A new generation entry of the same key, so the old thumbprint still finds it.
 */
export async function uploadKeyringCertificate(ctx: OpContext, ring: Ring, pem: string): Promise<void> {
  await ringPolicy(ctx, ring);
  const { preExpireDays } = await validityPolicy(ctx.store.db, ring);
  const current = await currentGeneration(ctx.store.db, ring, [levelOf(ring)], preExpireDays, ctx.now());
  if (!current?.key) throw new NotFoundError('the keyring has no current key', 'KEYRING_KEY_NOT_FOUND');
  const key = current.key;
  const certificate = rsaCertificate(pem);
  const version = await getVersion(ctx, key, 1);
  if (!version.publicKey || !samePublicKey(spkiOf(parseCertificate(certificate)), version.publicKey))
    throw new ValidationError("the certificate's public key is not the keyring key's", 'KEYRING_CERTIFICATE_MISMATCH');
  const thumbprint = thumbprintOf(certificate);
  ctx.audit.keyId = key.id;
  ctx.audit.details = { ...ctx.audit.details, thumbprint };
  if (current.entry.thumbprint === thumbprint) return; // the same certificate again
  const now = ctx.now();
  await ctx.transaction(async (tx) => {
    await repo.keyringKeys.insert(tx, {
      ...current.entry,
      id: randomUUID(),
      certificate,
      thumbprint,
      uniqueIdentifier: uniqueIdentifier(ring, thumbprint),
      createdAt: laterThan(current.entry.createdAt, now),
    });
    await repo.keyCertificates.put(tx, { keyId: key.id, keyVersion: 1, chain: [certificate] }, now);
  });
}

/**
 * Stores a partner's certificate (no private key here) for a Base keyring: encryption for the keyring then uses it.
 * Refused for KERNEL/SIGN as MOSIP does (KER-KMS-015), and for master keyrings, whose keys sign the level below.
 */
export async function uploadPartnerCertificate(ctx: OpContext, ring: Ring, pem: string): Promise<void> {
  await ringPolicy(ctx, ring);
  if (levelOf(ring) !== 'BASE')
    throw new InvalidStateError(
      'a partner certificate cannot be uploaded for ROOT, a master key or KERNEL/SIGN',
      'KEYRING_UPLOAD_REFUSED',
    );
  const certificate = rsaCertificate(pem);
  const parsed = parseCertificate(certificate);
  const thumbprint = thumbprintOf(certificate);
  ctx.audit.details = { ...ctx.audit.details, thumbprint };
  const known = await repo.keyringKeys.byThumbprint(ctx.store.db, ring.applicationId, ring.referenceId, thumbprint);
  if (known.some((e) => e.kind === 'PARTNER')) return; // uploaded before
  const now = ctx.now();
  await ctx.transaction(async (tx) => {
    await repo.keyringKeys.insert(tx, {
      id: randomUUID(),
      applicationId: ring.applicationId,
      referenceId: ring.referenceId,
      kind: 'PARTNER',
      keyId: null,
      certificate,
      thumbprint,
      uniqueIdentifier: uniqueIdentifier(ring, thumbprint),
      generatedAt: parsed.notBefore,
      expiresAt: parsed.notAfter,
      createdAt: now,
    });
  });
}
