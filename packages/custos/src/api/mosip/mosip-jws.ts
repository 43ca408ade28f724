// Compact JWS (RFC 7515, and RFC 7797's unencoded payload) made with a Custos key through kms.sign, and checked with
// kms.verify for a keyring key or with jose for a certificate given by the caller: the JWS serialisation MOSIP's
// jwtSign, jwsSign and jwtVerify speak. No primitive here: the signature is the Kms's (or jose's). Must not be
// imported by service, store, keystore or core.
import { createHash, X509Certificate } from 'node:crypto';
import { flattenedVerify } from 'jose';
import { KmsError, type Caller, type Kms, type SigningAlgorithm } from '@custos/contract';
import { invalidField } from './mosip-errors.js';

/** The JWS algorithms MOSIP signs with (SignatureConstant: PS256 for jwsSign, RS256 for jwtSign). */
export type MosipJwsAlg = 'PS256' | 'RS256';
const SIGNING_ALGORITHM: Record<MosipJwsAlg, SigningAlgorithm> = {
  PS256: 'RSASSA_PSS_SHA_256',
  RS256: 'RSASSA_PKCS1_V1_5_SHA_256',
};
export const isMosipJwsAlg = (alg: unknown): alg is MosipJwsAlg => alg === 'PS256' || alg === 'RS256';

const b64url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');

/** `ASCII(BASE64URL(header)) || '.' || payload part`, and the SHA-256 digest the Kms signs (any payload size). */
function signingDigest(protectedPart: string, payloadPart: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`${protectedPart}.`).update(payloadPart).digest());
}

/** What to sign and how. */
export interface JwsToSign {
  readonly keyId: string;
  readonly header: Record<string, unknown>;
  readonly payload: Uint8Array;
  readonly alg: MosipJwsAlg;
  /** RFC 7797 `b64: false`: the payload is signed and carried as it is. */
  readonly unencoded: boolean;
  /** `header..signature` (RFC 7515 Appendix F). */
  readonly detached: boolean;
}

/**
 * A compact JWS signed by `keyId` in Custos (authorised and audited as a Sign call).
 * @example await signCompactJws(kms, caller, { keyId, header: {}, payload, alg: 'PS256', unencoded: false, detached: true })
 */
export async function signCompactJws(kms: Kms, caller: Caller, jws: JwsToSign): Promise<string> {
  const header = { alg: jws.alg, ...jws.header, ...(jws.unencoded ? { b64: false, crit: ['b64'] } : {}) };
  const protectedPart = b64url(JSON.stringify(header));
  const payloadText = jws.unencoded ? Buffer.from(jws.payload).toString('utf8') : b64url(jws.payload);
  if (jws.unencoded && !jws.detached && payloadText.includes('.'))
    throw invalidField('dataToSign', "should not contain '.' in a compact JWS with b64 false (RFC 7797 §5.2)");
  const payloadPart = jws.unencoded ? jws.payload : new Uint8Array(Buffer.from(payloadText, 'ascii'));
  const { signature } = await kms.sign(
    {
      keyId: jws.keyId,
      message: signingDigest(protectedPart, payloadPart),
      messageType: 'DIGEST',
      signingAlgorithm: SIGNING_ALGORITHM[jws.alg],
    },
    caller,
  );
  return `${protectedPart}.${jws.detached ? '' : payloadText}.${b64url(signature)}`;
}

/** A compact JWS taken apart; `payload` is the given detached payload when the JWS has none. */
export interface ParsedJws {
  readonly header: Record<string, unknown>;
  readonly protectedPart: string;
  /** The payload part as signed: base64url text, or the raw bytes when b64 is false. */
  readonly payloadPart: Uint8Array;
  readonly signature: string;
  readonly alg: MosipJwsAlg;
}

/** Parses `header.payload.signature`; KER-KMS-005 when it is not one, or its alg is not PS256/RS256. */
export function parseCompactJws(text: string, detachedPayload: Uint8Array | undefined): ParsedJws {
  const parts = text.split('.');
  const bad = invalidField('jwtSignatureData', 'should be a compact JWS signed with PS256 or RS256');
  if (parts.length !== 3) throw bad;
  const [protectedPart = '', payloadText = '', signature = ''] = parts;
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(protectedPart, 'base64url').toString('utf8'));
  } catch {
    throw bad;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad;
  const h = header as Record<string, unknown>;
  if (!isMosipJwsAlg(h.alg)) throw bad;
  const unencoded = h.b64 === false;
  let payloadPart: Uint8Array;
  if (payloadText !== '') payloadPart = new Uint8Array(Buffer.from(payloadText, unencoded ? 'utf8' : 'ascii'));
  else if (detachedPayload === undefined) payloadPart = new Uint8Array();
  else if (unencoded) payloadPart = detachedPayload;
  else payloadPart = new Uint8Array(Buffer.from(b64url(detachedPayload), 'ascii'));
  return { header: h, protectedPart, payloadPart, signature, alg: h.alg };
}

/** Checks the JWS with the keyring key `keyId` (kms.verify: authorised and audited); a bad signature is false. */
export async function verifyWithKms(kms: Kms, caller: Caller, keyId: string, jws: ParsedJws): Promise<boolean> {
  try {
    const { signatureValid } = await kms.verify(
      {
        keyId,
        message: signingDigest(jws.protectedPart, jws.payloadPart),
        messageType: 'DIGEST',
        signature: new Uint8Array(Buffer.from(jws.signature, 'base64url')),
        signingAlgorithm: SIGNING_ALGORITHM[jws.alg],
      },
      caller,
    );
    return signatureValid;
  } catch (error) {
    // Verify answers a signature that does not match with INVALID_SIGNATURE (as AWS KMS): for MOSIP that is `false`.
    if (error instanceof KmsError && error.code === 'INVALID_SIGNATURE') return false;
    throw error;
  }
}

/** Checks the JWS with a certificate's public key (jose; a bad signature is false, not an error). */
export async function verifyWithCertificate(certificate: X509Certificate, jws: ParsedJws): Promise<boolean> {
  try {
    await flattenedVerify(
      {
        protected: jws.protectedPart,
        payload: jws.header.b64 === false ? jws.payloadPart : Buffer.from(jws.payloadPart).toString('ascii'),
        signature: jws.signature,
      },
      certificate.publicKey,
      { algorithms: [jws.alg] },
    );
    return true;
  } catch {
    return false;
  }
}
