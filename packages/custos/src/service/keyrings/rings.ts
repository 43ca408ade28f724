// What a keyring is (MOSIP key hierarchy): which level an (application id, reference id) names, which generation is
// current, the policy its validity comes from, its certificates' subjects and identifiers, and the reply shape of a
// generation. Must not import api.
import { createHash } from 'node:crypto';
import { ValidationError, type KeyringCertificate, type KeyringSubject } from '@custos/contract';
import { parseCertificate } from '../../core/certificates/x509.js';
import * as repo from '../../store/repositories/index.js';
import type { Db } from '../../store/index.js';
import type { KeyringKeyKind, KeyringKeyRecord, KeyringPolicyRecord } from '../../store/types.js';
import { requirePolicy } from './policies.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The application whose keyring is the root key. */
const ROOT_APP = 'ROOT';
/** The policy Base keys' validity comes from (MOSIP KeymanagerConstant.BASE_KEY_POLICY_CONST). */
const BASE_POLICY = 'BASE';

/** The level a keyring's own keys have. */
export type RingLevel = Extract<KeyringKeyKind, 'ROOT' | 'MASTER' | 'BASE'>;

/** A keyring: an application id and a reference id ("" = the application's master key). */
export interface Ring {
  readonly applicationId: string;
  readonly referenceId: string;
}

/** The ring of a request's fields (an absent reference id is ""). */
export function ringOf(input: { applicationId: string; referenceId?: string | undefined }): Ring {
  return { applicationId: input.applicationId, referenceId: input.referenceId ?? '' };
}

/**
 * The level of a ring: ROOT for the ROOT application, MASTER for "" (and KERNEL/SIGN, which MOSIP keeps in the HSM
 * beside the master keys), BASE otherwise. The ROOT application has no other reference id (VALIDATION_ERROR).
 */
export function levelOf(ring: Ring): RingLevel {
  if (ring.applicationId === ROOT_APP) {
    if (ring.referenceId !== '') throw new ValidationError('the ROOT application has no reference ids');
    return 'ROOT';
  }
  if (ring.referenceId === '' || (ring.applicationId === 'KERNEL' && ring.referenceId === 'SIGN')) return 'MASTER';
  return 'BASE';
}

/** Master keys MOSIP refuses to encrypt with (CryptomanagerUtils.validateKeyIdentifierIds): KER-CRY-011. */
export function isMasterForEncryption(ring: Ring): boolean {
  return levelOf(ring) !== 'BASE' || (ring.applicationId === 'KERNEL' && ring.referenceId === 'IDENTITY_CACHE');
}

/** The ring that certifies (and, for Base keys, wraps) the keys of `ring`; null for the root. */
export function parentOf(ring: Ring): Ring | null {
  const level = levelOf(ring);
  if (level === 'ROOT') return null;
  if (level === 'MASTER') return { applicationId: ROOT_APP, referenceId: '' };
  return { applicationId: ring.applicationId, referenceId: '' };
}

/** The policy a new key of `ring` takes its validity from: ROOT's, the application's, or BASE's for Base keys. */
export async function validityPolicy(db: Db, ring: Ring): Promise<KeyringPolicyRecord> {
  if (levelOf(ring) === 'BASE') {
    const base = await repo.keyringPolicies.get(db, BASE_POLICY);
    if (base) return base;
  }
  return requirePolicy(db, ring.applicationId);
}

/** MOSIP's current key: generated, and not yet within `preExpireDays` of its expiry (KeymanagerUtil.isValidTimestamp). */
export function isCurrent(entry: KeyringKeyRecord, preExpireDays: number, now: Date): boolean {
  return entry.generatedAt <= now && now.getTime() <= entry.expiresAt.getTime() - preExpireDays * DAY_MS;
}

/** Upper-hex SHA-256 of a PEM certificate's DER (MOSIP cert_thumbprint). */
export function thumbprintOf(pem: string): string {
  return createHash('sha256')
    .update(new Uint8Array(parseCertificate(pem).rawData))
    .digest('hex')
    .toUpperCase();
}

/** MOSIP's uni_ident: upper-hex SHA-1 of `appId_refId_MM-dd-yyyy` (KeymanagerUtil.getUniqueIdentifier), or of the thumbprint for uploads. */
export function uniqueIdentifier(ring: Ring, at: Date | string): string {
  const tail =
    typeof at === 'string' ? at : `${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}-${String(at.getUTCFullYear())}`;
  return createHash('sha1').update(`${ring.applicationId}_${ring.referenceId}_${tail}`).digest('hex').toUpperCase();
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** MOSIP's default subject fields (mosip.kernel.keymanager.certificate.default.*). */
const DEFAULT_SUBJECT = {
  organizationUnit: 'MOSIP-TECH-CENTER',
  organization: 'IITB',
  location: 'BANGALORE',
  state: 'KA',
  country: 'IN',
} as const;

/** RFC 4514 escaping of one attribute value. */
function escapeValue(value: string): string {
  return value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`).replace(/^[ #]|[ ]$/g, (c) => `\\${c}`);
}

/**
 * The subject of a keyring key's certificate as RFC 4514 text: CN `appId-refId` for Base keys (as MOSIP), the
 * application id for master keys (ROOT for the root), unless the request names one; MOSIP's defaults for the rest.
 */
export function subjectOf(ring: Ring, requested: KeyringSubject = {}): string {
  const level = levelOf(ring);
  const commonName =
    level === 'BASE'
      ? `${ring.applicationId}-${ring.referenceId}`
      : (requested.commonName ?? (ring.referenceId ? `${ring.applicationId}-${ring.referenceId}` : ring.applicationId));
  const s = { ...DEFAULT_SUBJECT, ...requested };
  return [
    ['CN', commonName],
    ['OU', s.organizationUnit],
    ['O', s.organization],
    ['L', s.location],
    ['ST', s.state],
    ['C', s.country],
  ]
    .map(([k, v]) => `${k}=${escapeValue(v ?? '')}`)
    .join(',');
}

/** A generation as the contract shows it (keyId: the Custos key, or the entry's id for a partner certificate). */
export function certificateOut(entry: KeyringKeyRecord): KeyringCertificate {
  if (entry.certificate === null || entry.thumbprint === null)
    throw new ValidationError(`the keyring entry ${entry.id} holds a symmetric key: it has no certificate`);
  return {
    certificate: entry.certificate,
    issuedAt: entry.generatedAt,
    expiresAt: entry.expiresAt,
    keyId: entry.keyId ?? entry.id,
    thumbprint: entry.thumbprint,
    uniqueIdentifier: entry.uniqueIdentifier,
  };
}

/**
 * The creation time of a new certificate row for a key that has one (re-certification, upload): after the old row's,
 * even on a clock that has not moved, so that the newest-first order puts it first.
 */
export function laterThan(old: Date, now: Date): Date {
  return now > old ? now : new Date(old.getTime() + 1);
}
