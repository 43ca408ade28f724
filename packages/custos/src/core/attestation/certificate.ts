// Making attestations under the attestation identity: the identity's self-signed root, the X.509 certificate of an
// asymmetric key's public key carrying its attested properties, and the JWS (ES256, `x5c`) of a symmetric key's.
// Pure: no store, service or api.
import { randomBytes } from 'node:crypto';
import type { KeyUsage } from '@custos/contract';
import { base64url } from 'jose';
import { createCertificate, keyUsage } from '../certificates/issue.js';
import { signingCrypto, type CertificateSigner } from '../certificates/signer.js';
import { x509 } from '../certificates/x509.js';
import { specEntry } from '../key-specs.js';
import { encodeOid } from './oid.js';
import { ATTESTATION_EXTENSION_OID, encodeProperties, type AttestedProperties } from './properties.js';

/** The attestation identity: an ECDSA P-256 key held by the root of trust. */
export interface AttestationIdentity {
  /** SubjectPublicKeyInfo DER. */
  readonly publicKey: Uint8Array;
  /** ECDSA P-256 with SHA-256 over `message`; the signature as IEEE P1363 r ‖ s (64 bytes). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** The JOSE header type of a symmetric key's attestation. */
export const ATTESTATION_JWS_TYPE = 'custos-key-attestation+jws';

const ES256 = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long an attestation certificate is valid: it states the key's properties at one moment, for a verifier now. */
const LEAF_VALIDITY_MS = DAY_MS;

/** The identity as a certificate signer (x509 wants ECDSA signatures as DER; its formatter converts r ‖ s). */
export function identitySigner(identity: AttestationIdentity): CertificateSigner {
  return {
    spec: specEntry('ECC_NIST_P256'),
    algorithm: 'ECDSA_SHA_256',
    publicKey: identity.publicKey,
    async sign(message) {
      const der = new x509.AsnEcSignatureFormatter().toAsnSignature(
        ES256,
        (await identity.sign(message)).slice().buffer,
      );
      if (der === null) throw new Error('the attestation signature cannot be formatted');
      return new Uint8Array(der);
    },
  };
}

/** The default trust anchor: a self-signed CA certificate of the attestation key itself (pathLength 0). */
export function selfSignedRoot(identity: AttestationIdentity, now: Date): Promise<x509.X509Certificate> {
  return createCertificate(
    { certificate: null, signer: identitySigner(identity) },
    {
      publicKey: identity.publicKey,
      subject: 'CN=Custos attestation root',
      validityDays: 3650,
      isCa: true,
      pathLength: 0,
      now,
    },
  );
}

/** keyUsage of the certified key by its usage (RFC 5280 §4.2.1.3). */
const LEAF_USAGE: Readonly<Record<KeyUsage, x509.KeyUsageFlags[]>> = {
  SIGN_VERIFY: [x509.KeyUsageFlags.digitalSignature],
  ENCRYPT_DECRYPT: [x509.KeyUsageFlags.keyEncipherment, x509.KeyUsageFlags.dataEncipherment],
  KEY_AGREEMENT: [x509.KeyUsageFlags.keyAgreement],
  GENERATE_VERIFY_MAC: [x509.KeyUsageFlags.digitalSignature],
  DERIVE_KEY: [x509.KeyUsageFlags.keyAgreement],
  ENCAPSULATE_DECAPSULATE: [x509.KeyUsageFlags.keyEncipherment], // RFC 9935 §5 (ML-KEM in X.509)
};

/** A 16-byte positive serial (RFC 5280 §4.1.2.2). */
function serial(): string {
  const bytes = randomBytes(16);
  bytes.writeUInt8((bytes.readUInt8(0) & 0x7f) | 0x01, 0);
  return bytes.toString('hex');
}

/**
 * @peculiar/x509 re-parses each extension while it builds a certificate, and asn1js turns a 128-bit arc into
 * `{hex}` on parsing and drops it on encoding: the certificate would say `2.25`. So the certificate is built with a
 * stand-in OID of the same encoded length (arcs small enough for asn1js), and the stand-in's bytes are replaced by
 * the real OID's bytes in the TBS before it is signed and in the certificate after: same lengths, so the DER stays
 * well formed and the signature covers the real OID. The stand-in never leaves this module.
 */
const REAL_OID = Buffer.from(encodeOid(ATTESTATION_EXTENSION_OID));
const STAND_IN_OID = `2.25${'.127'.repeat(REAL_OID.length - 3)}`;
const STAND_IN = Buffer.from(encodeOid(STAND_IN_OID));
if (STAND_IN.length !== REAL_OID.length) throw new Error("the stand-in OID must encode to the real one's length");

/** `der` with its one stand-in OID replaced by the real OID (an error if there is not exactly one). */
function realOid(der: Uint8Array): Uint8Array {
  const bytes = Buffer.from(der);
  const at = bytes.indexOf(STAND_IN);
  if (at < 0 || bytes.indexOf(STAND_IN, at + 1) >= 0) throw new Error('the attestation extension was not found once');
  REAL_OID.copy(bytes, at);
  return new Uint8Array(bytes);
}

/**
 * The attestation certificate of a key pair: its public key, subject CN=<key id>, issued by the identity's
 * certificate `issuer`, with the properties in the non-critical extension ATTESTATION_EXTENSION_OID.
 */
export async function attestationCertificate(
  identity: AttestationIdentity,
  issuer: x509.X509Certificate,
  publicKey: Uint8Array,
  properties: AttestedProperties,
  usage: KeyUsage,
  now: Date,
): Promise<x509.X509Certificate> {
  const base = identitySigner(identity);
  const signer = { ...base, sign: (tbs: Uint8Array) => base.sign(realOid(tbs)) };
  const { crypto, privateKey, algorithm } = signingCrypto(signer);
  const issuerKeyId = issuer.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    keyUsage(...LEAF_USAGE[usage]),
    await x509.SubjectKeyIdentifierExtension.create(publicKey.slice().buffer),
    ...(issuerKeyId ? [new x509.AuthorityKeyIdentifierExtension(issuerKeyId)] : []),
    new x509.Extension(STAND_IN_OID, false, encodeProperties(properties).slice().buffer),
  ];
  const notAfter = Math.min(now.getTime() + LEAF_VALIDITY_MS, issuer.notAfter.getTime());
  const built = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: new x509.Name([{ CN: [properties.keyId] }, { O: ['Custos key attestation'] }]),
      issuer: issuer.subjectName,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(notAfter),
      publicKey: publicKey.slice().buffer,
      signingKey: privateKey,
      signingAlgorithm: algorithm,
      extensions,
    },
    crypto,
  );
  return new x509.X509Certificate(realOid(new Uint8Array(built.rawData)).slice().buffer);
}

/**
 * A symmetric key's attestation: a compact JWS (RFC 7515), ES256 by the identity, `x5c` = the identity's chain (DER,
 * base64), the properties as its JSON payload. Only the signature is made here; jose parses and verifies it.
 */
export async function attestationJws(
  identity: AttestationIdentity,
  chain: readonly x509.X509Certificate[],
  properties: AttestedProperties,
): Promise<string> {
  const header = {
    alg: 'ES256',
    typ: ATTESTATION_JWS_TYPE,
    x5c: chain.map((c) => Buffer.from(c.rawData).toString('base64')),
  };
  const encode = (value: unknown): string => base64url.encode(JSON.stringify(value));
  const input = `${encode(header)}.${encode(properties)}`;
  const signature = await identity.sign(new TextEncoder().encode(input));
  return `${input}.${base64url.encode(signature)}`;
}
