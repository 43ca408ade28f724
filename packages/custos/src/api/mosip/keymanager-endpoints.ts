// MOSIP's KeymanagerController endpoints (generateMasterKey, getCertificate, getAllCertificates, generateCSR,
// uploadCertificate, uploadOtherDomainCertificate, generateSymmetricKey, revokeKey) on the keyring operations.
// Must not be imported by service, store, keystore or core.
import { createHash } from 'node:crypto';
import { encodeMosipBase64 } from '../../core/mosip/mosip-base64.js';
import { mosipTime } from './envelope.js';
import { defined, type MosipCall, type MosipEndpoint } from './endpoint.js';
import type { Fields } from './fields.js';
import { invalidField, missingField } from './mosip-errors.js';

/** applicationId (required) and referenceId (optional, "" = the master key). */
function keyring(fields: Fields): { applicationId: string; referenceId?: string } {
  return defined({ applicationId: fields.required('applicationId'), referenceId: fields.optional('referenceId') }) as {
    applicationId: string;
    referenceId?: string;
  };
}

/** MOSIP's subject fields (CN, OU, O, L, ST, C); absent ones take the keyring's defaults. */
function subject(fields: Fields): { subject?: Record<string, string> } {
  const s = defined({
    commonName: fields.nonEmpty('commonName'),
    organizationUnit: fields.nonEmpty('organizationUnit'),
    organization: fields.nonEmpty('organization'),
    location: fields.nonEmpty('location'),
    state: fields.nonEmpty('state'),
    country: fields.nonEmpty('country'),
  }) as Record<string, string>;
  return Object.keys(s).length > 0 ? { subject: s } : {};
}

/** SignatureUtil.convertHexToBase64: base64url (with padding) of SHA-256 of the hex-decoded uni_ident. */
export function mosipKeyId(uniqueIdentifier: string): string {
  return encodeMosipBase64(createHash('sha256').update(Buffer.from(uniqueIdentifier, 'hex')).digest());
}

const status = (text: string, now: Date): { status: string; timestamp: string } => ({
  status: text,
  timestamp: mosipTime(now),
});

async function generateMasterKey({ kms, caller, fields, params, now }: MosipCall): Promise<unknown> {
  const objectType = params.objectType;
  if (objectType !== 'CERTIFICATE' && objectType !== 'CSR')
    throw invalidField('objectType', 'should be CERTIFICATE or CSR');
  const force = fields.flag('force');
  const made = await kms.generateKeyringMasterKey(
    { ...keyring(fields), objectType, ...(force === undefined ? {} : { force }), ...subject(fields) },
    caller,
  );
  return {
    certificate: made.certificate ?? null,
    certSignRequest: made.csr ?? null,
    issuedAt: mosipTime(made.issuedAt),
    expiryAt: mosipTime(made.expiresAt),
    timestamp: mosipTime(now),
  };
}

async function getCertificate({ kms, caller, fields, now }: MosipCall): Promise<unknown> {
  const cert = await kms.getKeyringCertificate(keyring(fields), caller);
  return {
    certificate: cert.certificate,
    certSignRequest: null,
    issuedAt: mosipTime(cert.issuedAt),
    expiryAt: mosipTime(cert.expiresAt),
    timestamp: mosipTime(now),
  };
}

async function getAllCertificates({ kms, caller, fields }: MosipCall): Promise<unknown> {
  const { certificates } = await kms.listKeyringCertificates(keyring(fields), caller);
  return {
    allCertificates: certificates.map((c) => ({
      certificateData: c.certificate,
      issuedAt: mosipTime(c.issuedAt),
      expiryAt: mosipTime(c.expiresAt),
      keyId: mosipKeyId(c.uniqueIdentifier),
    })),
  };
}

async function generateCsr({ kms, caller, fields, now }: MosipCall): Promise<unknown> {
  const made = await kms.createKeyringCsr({ ...keyring(fields), ...subject(fields) }, caller);
  return {
    certSignRequest: made.csr,
    issuedAt: mosipTime(made.issuedAt),
    expiryAt: mosipTime(made.expiresAt),
    timestamp: mosipTime(now),
  };
}

async function uploadCertificate({ kms, caller, fields, now }: MosipCall): Promise<unknown> {
  await kms.uploadKeyringCertificate({ ...keyring(fields), certificate: fields.required('certificateData') }, caller);
  return status('Upload Success', now);
}

async function uploadOtherDomainCertificate({ kms, caller, fields, now }: MosipCall): Promise<unknown> {
  await kms.uploadPartnerCertificate({ ...keyring(fields), certificate: fields.required('certificateData') }, caller);
  return status('Upload Success', now);
}

async function generateSymmetricKey({ kms, caller, fields, now }: MosipCall): Promise<unknown> {
  const force = fields.flag('force');
  const made = await kms.generateKeyringSymmetricKey(
    {
      applicationId: fields.required('applicationId'),
      referenceId: fields.required('referenceId'),
      ...(force === undefined ? {} : { force }),
    },
    caller,
  );
  return status(made.generated ? 'Generation Success' : 'Key Exists', now);
}

async function revokeKey({ kms, caller, fields, now }: MosipCall): Promise<unknown> {
  const applicationId = fields.required('applicationId');
  const referenceId = fields.optional('referenceId');
  if (referenceId === undefined || referenceId.trim() === '') throw missingField('referenceId');
  fields.flag('disableAutoGen'); // accepted and checked, not implemented (as in MOSIP 1.2)
  await kms.revokeKeyringKey({ applicationId, referenceId }, caller);
  return status('Key Revoked', now);
}

/** KeymanagerController's endpoints. */
export const KEYMANAGER_ENDPOINTS: readonly MosipEndpoint[] = [
  { method: 'POST', path: '/generateMasterKey/:objectType', handle: generateMasterKey },
  { method: 'GET', path: '/getCertificate', handle: getCertificate },
  { method: 'GET', path: '/getAllCertificates', handle: getAllCertificates },
  { method: 'POST', path: '/generateCSR', handle: generateCsr },
  { method: 'POST', path: '/uploadCertificate', handle: uploadCertificate },
  { method: 'POST', path: '/uploadOtherDomainCertificate', handle: uploadOtherDomainCertificate },
  { method: 'POST', path: '/generateSymmetricKey', handle: generateSymmetricKey },
  { method: 'PUT', path: '/revokeKey', handle: revokeKey },
];
