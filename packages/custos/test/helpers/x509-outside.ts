// Certificates made outside Custos, for the tests: a CA with its own WebCrypto key (built with @peculiar/x509
// through the one module that loads it), openssl run on PEM files, and PEM surgery (a flipped signature byte).
import { spawnSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyUsage } from '../../src/core/certificates/issue.js';
import { x509 } from '../../src/core/certificates/x509.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A key pair and its certificate, made outside Custos. */
export interface OutsideCa {
  readonly keys: CryptoKeyPair;
  readonly certificate: x509.X509Certificate;
  readonly pem: string;
}

const pemOf = (cert: x509.X509Certificate | x509.Pkcs10CertificateRequest): string => `${cert.toString('pem')}\n`;

/** Options of a certificate made outside Custos. */
export interface OutsideOptions {
  readonly subject: string;
  /** The issuer; absent: self-signed. */
  readonly issuer?: OutsideCa;
  /** The certified public key (SPKI DER or a CryptoKey); absent: a fresh key pair's. */
  readonly publicKey?: Uint8Array;
  /** A CA certificate (basicConstraints cA, keyCertSign) unless false; pathLength with it. */
  readonly ca?: boolean;
  readonly pathLength?: number;
  /** Validity: days from now (negative: in the past). Default -1 .. 30. */
  readonly fromDays?: number;
  readonly toDays?: number;
}

/** Makes a certificate (and, when no public key is given, its key pair) signed by `issuer` or by itself. */
export async function outsideCertificate(options: OutsideOptions): Promise<OutsideCa> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const publicKey = options.publicKey ? options.publicKey.slice().buffer : keys.publicKey;
  const ca = options.ca ?? true;
  const now = Date.now();
  const signer = options.issuer?.keys ?? keys;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(ca, ca ? options.pathLength : undefined, true),
    ca
      ? keyUsage(x509.KeyUsageFlags.keyCertSign, x509.KeyUsageFlags.cRLSign)
      : keyUsage(x509.KeyUsageFlags.digitalSignature),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(signer.publicKey),
  ];
  const certificate = await x509.X509CertificateGenerator.create({
    subject: options.subject,
    issuer: options.issuer ? options.issuer.certificate.subject : options.subject,
    notBefore: new Date(now + (options.fromDays ?? -1) * DAY_MS),
    notAfter: new Date(now + (options.toDays ?? 30) * DAY_MS),
    publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: EC,
    extensions,
  });
  return { keys, certificate, pem: pemOf(certificate) };
}

/** The PEM with one byte of its DER's last byte (inside the signature) flipped. */
export function flipLastByte(pem: string): string {
  const [decoded] = x509.PemConverter.decode(pem);
  const der = new Uint8Array(decoded!);
  der[der.length - 1] = der[der.length - 1]! ^ 0x01;
  const tag = /-----BEGIN ([A-Z ]+)-----/.exec(pem)![1]!;
  return `${x509.PemConverter.encode(der.buffer, tag)}\n`;
}

/** Runs openssl; its status, stdout and stderr. */
export function openssl(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes PEM texts to files in `dir`; returns their paths. */
export function pemFiles(dir: string, files: Record<string, string | readonly string[]>): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, `${name}.pem`);
    writeFileSync(path, typeof content === 'string' ? content : content.join(''));
    paths[name] = path;
  }
  return paths;
}
