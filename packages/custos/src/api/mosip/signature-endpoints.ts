// MOSIP's SignatureController endpoints (jwtSign, jwsSign, jwtVerify): JWS made by a keyring's master key through
// kms.sign, checked through kms.verify or with the caller's certificate, trust through kms.verifyCertificateChain.
// Must not be imported by service, store, keystore or core.
import { createHash, X509Certificate } from 'node:crypto';
import type { Caller, Kms } from '@custos/contract';
import { decodeMosipBase64 } from '../../core/mosip/mosip-base64.js';
import { mosipTime } from './envelope.js';
import type { MosipCall, MosipEndpoint } from './endpoint.js';
import type { Fields } from './fields.js';
import { mosipKeyId } from './keymanager-endpoints.js';
import { invalidField, KER_SIGN_BASE_KEY, MosipError } from './mosip-errors.js';
import { isMosipJwsAlg, parseCompactJws, signCompactJws, verifyWithCertificate, verifyWithKms } from './mosip-jws.js';

/** The keyring a JWS is signed (or verified) with: empty applicationId → KERNEL/SIGN, as SignatureServiceImpl. */
function signingKeyring(fields: Fields): { applicationId: string; referenceId: string } {
  const applicationId = fields.optional('applicationId') ?? '';
  const referenceId = fields.optional('referenceId') ?? '';
  if (applicationId.trim() === '') return { applicationId: 'KERNEL', referenceId: 'SIGN' };
  return { applicationId, referenceId };
}

/** A JSON text (jwtSign always, jwsSign with validateJson). */
function checkJson(payload: Uint8Array): void {
  try {
    JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    throw invalidField('dataToSign', 'should be a valid JSON');
  }
}

const pemToDer = (pem: string): Buffer => new X509Certificate(pem).raw;

async function sign(call: MosipCall, jws: boolean): Promise<unknown> {
  const { kms, caller, fields, now } = call;
  const payload = fields.bytes('dataToSign', true);
  const keyring = signingKeyring(fields);
  const isMaster = keyring.referenceId === '' || (keyring.applicationId === 'KERNEL' && keyring.referenceId === 'SIGN');
  if (!isMaster)
    throw new MosipError(
      KER_SIGN_BASE_KEY,
      'signing is allowed with a master key only (referenceId empty, or KERNEL/SIGN)',
    );
  const alg = jws ? (fields.optional('signAlgorithm') ?? 'PS256') : 'RS256';
  if (!isMosipJwsAlg(alg)) throw invalidField('signAlgorithm', 'should be PS256 or RS256');
  if (!jws || fields.flag('validateJson') === true) checkJson(payload);
  const cert = await kms.getKeyringCertificate(keyring, caller);
  const der = pemToDer(cert.certificate);
  const certificateUrl = fields.optional('certificateUrl');
  const header: Record<string, unknown> = {
    ...(fields.flag('includeCertificate') === true ? { x5c: [der.toString('base64')] } : {}),
    ...(fields.flag('includeCertHash') === true
      ? { 'x5t#S256': createHash('sha256').update(der).digest('base64url') }
      : {}),
    ...(certificateUrl ? { x5u: certificateUrl } : {}),
    kid: mosipKeyId(cert.uniqueIdentifier),
  };
  const jwtSignedData = await signCompactJws(kms, caller, {
    keyId: cert.keyId,
    header,
    payload,
    alg,
    unencoded: jws && fields.flag('b64JWSHeaderParam') === false,
    detached: fields.flag('includePayload') !== true,
  });
  return { jwtSignedData, timestamp: mosipTime(now) };
}

/** TRUST_* as SignatureServiceImpl.validateTrust answers. */
/**
 * MOSIP's trustValid for `chain`. With `alwaysCheck` (a certificate the caller gave: its signature check needs no Kms
 * call), the chain is checked through the Kms whatever validateTrust says, so that the call is authorised by the
 * caller's rights and leaves its audit record like every other call; the answer still follows validateTrust/domain.
 */
async function trustOf(
  kms: Kms,
  caller: Caller,
  fields: Fields,
  chain: string[],
  alwaysCheck: boolean,
): Promise<string> {
  const wanted = fields.flag('validateTrust') === true;
  const domain = (fields.optional('domain') ?? '').trim();
  if (!alwaysCheck && (!wanted || domain === '')) return wanted ? 'TRUST_NOT_VERIFIED_NO_DOMAIN' : 'TRUST_NOT_VERIFIED';
  const { valid } = await kms.verifyCertificateChain(
    { certificateChain: chain, ...(domain !== '' && { domain }) },
    caller,
  );
  if (!wanted) return 'TRUST_NOT_VERIFIED';
  if (domain === '') return 'TRUST_NOT_VERIFIED_NO_DOMAIN';
  return valid ? 'TRUST_CERT_PATH_VALID' : 'TRUST_CERT_PATH_NOT_VALID';
}

const pemOf = (der: Buffer): string =>
  `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

/** The certificate and chain named by the request (certificateData), else the JWS's x5c, else null. */
function givenChain(fields: Fields, header: Record<string, unknown>): string[] | null {
  const certificateData = fields.optional('certificateData');
  if (certificateData !== undefined && certificateData.trim() !== '') return [certificateData];
  const x5c = header.x5c;
  if (Array.isArray(x5c) && x5c.length > 0 && x5c.every((c) => typeof c === 'string'))
    return x5c.map((c: string) => pemOf(Buffer.from(c, 'base64')));
  return null;
}

async function jwtVerify({ kms, caller, fields }: MosipCall): Promise<unknown> {
  const text = fields.required('jwtSignatureData');
  const actual = fields.optional('actualData');
  const detached = actual === undefined || actual === '' ? undefined : (decodeMosipBase64(actual) ?? undefined);
  if (actual !== undefined && actual !== '' && detached === undefined)
    throw invalidField('actualData', 'should be base64 or base64url');
  const jws = parseCompactJws(text, detached);
  const chain = givenChain(fields, jws.header);
  let signatureValid: boolean;
  let trustChain: string[];
  if (chain === null) {
    const cert = await kms.getKeyringCertificate(signingKeyring(fields), caller);
    signatureValid = await verifyWithKms(kms, caller, cert.keyId, jws);
    trustChain = [cert.certificate];
  } else {
    let leaf: X509Certificate;
    try {
      leaf = new X509Certificate(chain[0] ?? '');
    } catch {
      throw new MosipError('KER-KMS-013', 'the certificate is not valid');
    }
    signatureValid = await verifyWithCertificate(leaf, jws);
    trustChain = chain;
  }
  return {
    signatureValid,
    message: signatureValid ? 'Validation Successful' : 'Validation Failed',
    trustValid: await trustOf(kms, caller, fields, trustChain, chain !== null),
  };
}

/** SignatureController's endpoints. */
export const SIGNATURE_ENDPOINTS: readonly MosipEndpoint[] = [
  { method: 'POST', path: '/jwtSign', handle: (call) => sign(call, false) },
  { method: 'POST', path: '/jwsSign', handle: (call) => sign(call, true) },
  { method: 'POST', path: '/jwtVerify', handle: jwtVerify },
];
