// Making CSRs and certificates with @peculiar/x509, signed through a CertificateSigner: extensions (basicConstraints,
// keyUsage, SKI/AKI, subjectAltName), random positive 16-byte serials, validity from a given clock.
// Pure: no store, service or api.
import { randomBytes } from 'node:crypto';
import { signingCrypto, type CertificateSigner } from './signer.js';
import { parseName, subjectAltNameExtension, x509 } from './x509.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A PKCS#10 request for the signer's own key (its public key), signed by it. */
export async function createCsr(
  signer: CertificateSigner,
  subject: string,
  subjectAltNames: readonly string[] = [],
): Promise<x509.Pkcs10CertificateRequest> {
  const name = parseName(subject);
  const extensions = subjectAltNames.length > 0 ? [subjectAltNameExtension(subjectAltNames)] : [];
  const { crypto, privateKey, publicKey, algorithm } = signingCrypto(signer);
  return x509.Pkcs10CertificateRequestGenerator.create(
    { name, keys: { privateKey, publicKey }, signingAlgorithm: algorithm, extensions },
    crypto,
  );
}

/** What a new certificate says besides its issuer. */
export interface CertificateRequest {
  /** SubjectPublicKeyInfo DER of the certified key. */
  readonly publicKey: Uint8Array;
  readonly subject: x509.Name | string;
  readonly validityDays: number;
  readonly isCa: boolean;
  readonly pathLength?: number | undefined;
  /** The subjectAltName extension to carry (from the CSR, or built from names). */
  readonly subjectAltName?: x509.SubjectAlternativeNameExtension | undefined;
  readonly now: Date;
}

/** The issuer: its certificate (none for a self-signed one) and its signer. */
export interface Issuer {
  readonly certificate: x509.X509Certificate | null;
  readonly signer: CertificateSigner;
}

/** keyUsage bits (RFC 5280 §4.2.1.3), critical. */
export function keyUsage(...flags: x509.KeyUsageFlags[]): x509.KeyUsagesExtension {
  const bits = flags.reduce((all, flag) => all | flag, 0);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- KeyUsageFlags is a bit-flag enum: x509 takes the OR of its members, a number to TypeScript
  return new x509.KeyUsagesExtension(bits, true);
}

/** A serial number of 16 random bytes, positive (RFC 5280 §4.1.2.2: at most 20 octets, non-negative). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes.writeUInt8((bytes.readUInt8(0) & 0x7f) | 0x01, 0); // positive, and 16 octets long in DER (no leading zero to strip)
  return bytes.toString('hex');
}

/** The key identifier of a public key (RFC 5280 §4.2.1.2 method 1, SHA-1 of the subjectPublicKey), hex. */
async function keyIdentifier(publicKey: Uint8Array): Promise<string> {
  const ski = await x509.SubjectKeyIdentifierExtension.create(publicKey.slice().buffer);
  return ski.keyId;
}

/**
 * Signs a certificate for `request.publicKey`. Self-signed when the issuer has no certificate (subject = issuer);
 * otherwise the issuer name and AKI come from the issuer's certificate. CA certificates get basicConstraints cA
 * (critical, with pathLength) and keyUsage keyCertSign and cRLSign; others digitalSignature.
 */
export async function createCertificate(issuer: Issuer, request: CertificateRequest): Promise<x509.X509Certificate> {
  const subject = typeof request.subject === 'string' ? parseName(request.subject) : request.subject;
  const subjectKeyId = await keyIdentifier(request.publicKey);
  const authorityKeyId = issuer.certificate
    ? (issuer.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ??
      (await keyIdentifier(new Uint8Array(issuer.certificate.publicKey.rawData))))
    : subjectKeyId;
  const usages = request.isCa
    ? keyUsage(x509.KeyUsageFlags.keyCertSign, x509.KeyUsageFlags.cRLSign, x509.KeyUsageFlags.digitalSignature)
    : keyUsage(x509.KeyUsageFlags.digitalSignature);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(request.isCa, request.isCa ? request.pathLength : undefined, true),
    usages,
    new x509.SubjectKeyIdentifierExtension(subjectKeyId),
    new x509.AuthorityKeyIdentifierExtension(authorityKeyId),
  ];
  if (request.subjectAltName) extensions.push(request.subjectAltName);
  const { crypto, privateKey, algorithm } = signingCrypto(issuer.signer);
  // Back-dated a minute: clocks of relying parties a little behind ours still accept a certificate made just now.
  const notBefore = new Date(request.now.getTime() - 60_000);
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject,
      issuer: issuer.certificate ? issuer.certificate.subjectName : subject,
      notBefore,
      notAfter: new Date(request.now.getTime() + request.validityDays * DAY_MS),
      publicKey: request.publicKey.slice().buffer,
      signingKey: privateKey,
      signingAlgorithm: algorithm,
      extensions,
    },
    crypto,
  );
}
