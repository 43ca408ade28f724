// The one module that loads @peculiar/x509 (which needs reflect-metadata first, for tsyringe): parsing certificates,
// CSRs, names and subject alternative names into its objects, thumbprints and PEM. Pure: no store, service or api.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, createPublicKey } from 'node:crypto';
import { ValidationError } from '@custos/contract';

export { x509 };

const invalid = (what: string, cause?: unknown): ValidationError =>
  new ValidationError(`${what} is not valid`, 'INVALID_CERTIFICATE', { cause });

/** One PEM certificate; INVALID_CERTIFICATE for anything else (several certificates, a key, garbage). */
export function parseCertificate(pem: string, what = 'the certificate'): x509.X509Certificate {
  if (x509.PemConverter.decode(pem).length !== 1) throw invalid(what);
  try {
    return new x509.X509Certificate(pem);
  } catch (cause) {
    throw invalid(what, cause);
  }
}

/** A chain of PEM certificates, leaf first. */
export function parseChain(pems: readonly string[]): x509.X509Certificate[] {
  return pems.map((pem, i) => parseCertificate(pem, `certificate ${i} of the chain`));
}

/** One PEM certification request (PKCS#10); INVALID_CERTIFICATE otherwise. */
export function parseCsr(pem: string): x509.Pkcs10CertificateRequest {
  if (x509.PemConverter.decode(pem).length !== 1) throw invalid('the CSR');
  try {
    return new x509.Pkcs10CertificateRequest(pem);
  } catch (cause) {
    throw invalid('the CSR', cause);
  }
}

/** An RFC 4514 name (`CN=orders,O=Acme`); INVALID_CERTIFICATE when it has no attribute or cannot be encoded. */
export function parseName(text: string): x509.Name {
  try {
    const name = new x509.Name(text);
    if (name.toJSON().length === 0 || !text.includes('=')) throw new Error('no attribute');
    name.toArrayBuffer();
    return name;
  } catch (cause) {
    throw invalid(`the subject name "${text}"`, cause);
  }
}

/** OpenSSL's prefixes for subjectAltName entries, and x509's GeneralName types. */
const SAN_TYPES: Readonly<Record<string, 'dns' | 'ip' | 'email' | 'url'>> = {
  dns: 'dns',
  ip: 'ip',
  email: 'email',
  uri: 'url',
};

/** `DNS:a.example`, `IP:10.0.0.1`, `email:x@a.example`, `URI:https://a.example`; no prefix means DNS. */
export function subjectAltNameExtension(names: readonly string[]): x509.SubjectAlternativeNameExtension {
  const entries = names.map((entry) => {
    const colon = entry.indexOf(':');
    const type = colon < 0 ? 'dns' : SAN_TYPES[entry.slice(0, colon).toLowerCase()];
    const value = colon < 0 ? entry : entry.slice(colon + 1);
    if (type === undefined || value.length === 0) throw invalid(`the subject alternative name "${entry}"`);
    return { type, value };
  });
  try {
    return new x509.SubjectAlternativeNameExtension(entries);
  } catch (cause) {
    throw invalid('a subject alternative name', cause);
  }
}

/** SHA-1 and SHA-256 of the certificate's DER, lower-case hex (what `openssl x509 -fingerprint` shows, without colons). */
export function thumbprints(cert: x509.X509Certificate): { sha1: string; sha256: string } {
  const bytes = new Uint8Array(cert.rawData);
  return {
    sha1: createHash('sha1').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** The certificate's SubjectPublicKeyInfo DER. */
export function spkiOf(item: x509.X509Certificate | x509.Pkcs10CertificateRequest): Uint8Array {
  return new Uint8Array(item.publicKey.rawData);
}

/** PEM text of a certificate or CSR (with a final newline, as openssl writes it). */
export function pemOf(item: x509.X509Certificate | x509.Pkcs10CertificateRequest): string {
  return `${item.toString('pem')}\n`;
}

/** Whether two SubjectPublicKeyInfo DERs are the same key (compared as node:crypto re-encodes them). */
export function samePublicKey(a: Uint8Array, b: Uint8Array): boolean {
  try {
    const normal = (spki: Uint8Array) =>
      createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' });
    return normal(a).equals(normal(b));
  } catch {
    return false;
  }
}
