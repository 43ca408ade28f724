// MOSIP 1.2 hybrid encryption for a certificate: a fresh AES-256 session key wrapped with RSA-OAEP (SHA-256,
// MGF1-SHA-256, empty label) for the certificate's public key, the thumbprint and the data part (CryptomanagerServiceImpl
// .encrypt). Pure; must not import store, keystore, service or api.
import { constants, createHash, KeyObject, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import { ValidationError } from '@custos/contract';
import { x509 } from '../certificates/x509.js';
import { exposeSecret, SecretBytes } from '../secret-bytes.js';
import { SESSION_KEY_BYTES } from './constants.js';
import { sealDataPart, type DataPartOptions, type RandomBytes } from './data-part.js';
import { assembleMosipCiphertext } from './hybrid-layout.js';

/** A recipient certificate: DER bytes, PEM text or a parsed @peculiar/x509 certificate. */
export type MosipCertificate = Uint8Array | string | x509.X509Certificate;

export interface MosipEncryptOptions extends DataPartOptions {
  /** Prepend the SHA-256 thumbprint (default true; release 1.2.0's `prependThumbprint=false` form omits it). */
  readonly prependThumbprint?: boolean | undefined;
  /** Randomness for the session key, A and IVs (golden vectors inject it); RSA-OAEP's seed stays node:crypto's. */
  readonly random?: RandomBytes | undefined;
  /** The session key to use instead of a random one (golden vectors only). */
  readonly sessionKey?: SecretBytes | undefined;
}

const RSA_MIN_BITS = 2048;

function certificateDer(certificate: MosipCertificate): Uint8Array {
  if (certificate instanceof Uint8Array) return certificate;
  const parsed = typeof certificate === 'string' ? tryParse(certificate) : certificate;
  return new Uint8Array(parsed.rawData);
}

function tryParse(pem: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(pem);
  } catch (cause) {
    throw new ValidationError('the certificate is not valid', 'INVALID_CERTIFICATE', { cause });
  }
}

/** The certificate's RSA public key (2048 bits or more), INVALID_CERTIFICATE otherwise. */
function rsaPublicKey(der: Uint8Array): KeyObject {
  let key: KeyObject;
  try {
    key = new X509Certificate(der).publicKey;
  } catch (cause) {
    throw new ValidationError('the certificate is not valid', 'INVALID_CERTIFICATE', { cause });
  }
  return checkRsa(key);
}

function checkRsa(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < RSA_MIN_BITS)
    throw new ValidationError('MOSIP encryption needs an RSA certificate of 2048 bits or more', 'INVALID_CERTIFICATE');
  return key;
}

/** MOSIP's `getCertificateThumbprint`: SHA-256 of the certificate's DER. @example mosipThumbprint(der).length // 32 */
export function mosipThumbprint(certificate: MosipCertificate): Uint8Array {
  return new Uint8Array(createHash('sha256').update(certificateDer(certificate)).digest());
}

/** RSA-OAEP with SHA-256 and MGF1-SHA-256 (node:crypto uses `oaepHash` for both), empty label. */
function wrapSessionKey(publicKey: KeyObject, sessionKey: SecretBytes): Uint8Array {
  return new Uint8Array(
    publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      exposeSecret(sessionKey),
    ),
  );
}

/**
 * Encrypts `data` for a certificate (or, without thumbprint, a bare RSA public key) in MOSIP 1.2's bytes (not base64: `encodeMosipBase64` makes the API's text).
 * @example const bytes = mosipEncrypt(partnerPem, new TextEncoder().encode('hello'), { aad });
 */
export function mosipEncrypt(
  recipient: MosipCertificate | KeyObject,
  data: Uint8Array,
  options: MosipEncryptOptions = {},
): Uint8Array {
  let publicKey: KeyObject;
  let thumbprint: Uint8Array | null = null;
  if (recipient instanceof KeyObject) {
    // A bare public key has no certificate, hence no thumbprint: only release 1.2.0's form can name it.
    if (options.prependThumbprint !== false)
      throw new ValidationError(
        'a public key without its certificate needs prependThumbprint false',
        'VALIDATION_ERROR',
      );
    if (recipient.type !== 'public')
      throw new ValidationError('the recipient must be a public key', 'INVALID_PUBLIC_KEY');
    publicKey = checkRsa(recipient);
  } else {
    const der = certificateDer(recipient);
    publicKey = rsaPublicKey(der);
    if (options.prependThumbprint !== false) thumbprint = mosipThumbprint(der);
  }
  const random = options.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
  const sessionKey = options.sessionKey ?? SecretBytes.adopt(random(SESSION_KEY_BYTES));
  try {
    const { versioned, dataPart } = sealDataPart(sessionKey, data, options, random);
    return assembleMosipCiphertext({
      versioned,
      thumbprint,
      encryptedKey: wrapSessionKey(publicKey, sessionKey),
      dataPart,
    });
  } finally {
    if (options.sessionKey === undefined) sessionKey.wipe();
  }
}
