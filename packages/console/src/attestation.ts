// Verifying an attestation in the browser, as a relying party does (docs/attestation.md), with WebCrypto: each
// certificate's signature by the next one's key, the last one self-signed and equal to a root the server pins
// (GetAttestationRoots), every certificate within its validity, then the attested properties (the leaf's extension,
// or the JWS payload signed by the chain's first certificate) and the challenge they answer.
import type { AttestKeyResponse } from '@custos/client';
import { children, derTime, hex, parseCertificate, readDer, text, type Certificate, type Der } from './x509.js';

const ATTESTATION_OID = '2.25.292275241983431536734232649673878165321';
const ORIGINS = ['', 'IMPORTED', 'GENERATED', 'AGREED', 'DERIVED'];
const PROTECTION = ['', 'SOFTWARE', 'HSM'];

/** The attested properties, as the CLI's `custos attestation verify` prints them. */
type AttestedProperties = Record<string, string | number | boolean | Record<string, unknown>>;

export type Verdict =
  | { readonly valid: true; readonly format: 'X509' | 'JWS'; readonly properties: AttestedProperties }
  | { readonly valid: false; readonly reason: string };

const EC_CURVES: Record<string, string> = { '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384' };
const SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};

/** An ECDSA signature's DER (SEQUENCE of r, s) as WebCrypto's r‖s, each `size` bytes. */
function rawEcdsa(der: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size * 2);
  children(readDer(der)).forEach((n, i) => {
    const v = n.content.subarray(Math.max(0, n.content.length - size));
    out.set(v, size * (i + 1) - v.length);
  });
  return out;
}

/** Whether `signature` over `data` verifies with `issuer`'s key, for the algorithm OID `algorithm`. */
async function verifies(
  issuer: Certificate,
  algorithm: string,
  data: Uint8Array,
  signature: Uint8Array,
  /** ECDSA only: X.509 signatures are DER, a JWS's are already r‖s. */
  der = true,
) {
  const hash = SIGNATURE_HASHES[algorithm];
  if (hash === undefined) throw new Error(`signature algorithm ${algorithm} is not verified in the browser`);
  const curve = EC_CURVES[issuer.keyParameter];
  const ec = issuer.keyAlgorithm === '1.2.840.10045.2.1';
  if (ec && curve === undefined) throw new Error(`curve ${issuer.keyParameter} is not verified in the browser`);
  const params = ec ? { name: 'ECDSA', namedCurve: curve } : { name: 'RSASSA-PKCS1-v1_5', hash };
  const key = await crypto.subtle.importKey('spki', issuer.spki as BufferSource, params, false, ['verify']);
  const sig = ec && der ? rawEcdsa(signature, curve === 'P-256' ? 32 : 48) : signature;
  return crypto.subtle.verify(ec ? { name: 'ECDSA', hash } : params, key, sig as BufferSource, data as BufferSource);
}

/** Null when the chain verifies to one of `roots` at `now`, else why not. */
async function chainProblem(chain: Certificate[], roots: Certificate[], now: Date): Promise<string | null> {
  const top = chain[chain.length - 1];
  if (!top) return 'the chain is empty';
  if (!roots.some((r) => hex(r.der) === hex(top.der))) return 'the chain does not end at a root the server pins';
  for (const [i, cert] of chain.entries()) {
    if (now < cert.notBefore || now > cert.notAfter) return `certificate ${i + 1} (${cert.subject}) is not valid now`;
    const issuer = chain[i + 1] ?? cert;
    if (cert.issuer !== issuer.subject) return `certificate ${i + 1} was not issued by the next one`;
    if (!(await verifies(issuer, cert.signatureAlgorithm, cert.tbs, cert.signature)))
      return `the signature of certificate ${i + 1} (${cert.subject}) does not verify`;
  }
  return null;
}

/** The extension's KeyAttestation SEQUENCE (docs/attestation.md) as properties. */
function decodeExtension(value: Uint8Array): AttestedProperties {
  const f = children(readDer(value));
  const at = (i: number): Der => {
    const node = f[i];
    if (!node) throw new Error('the attestation extension is malformed');
    return node;
  };
  const constraints: Record<string, unknown> = {};
  for (const c of children(at(10))) {
    if (c.tag === 0x80) constraints.notBefore = derTime({ ...c, tag: 0x18 }).toISOString();
    if (c.tag === 0x81) constraints.notAfter = derTime({ ...c, tag: 0x18 }).toISOString();
    if (c.tag === 0x82) constraints.maxUses = Number(BigInt(`0x${hex(c.content)}`));
    if (c.tag === 0xa3) constraints.allowedAlgorithms = children(c).map((a) => text(a.content));
  }
  return {
    version: at(0).content[0] ?? 0,
    challenge: hex(at(1).content),
    keyId: text(at(2).content),
    keySpec: text(at(3).content),
    keyUsage: text(at(4).content),
    origin: ORIGINS[at(5).content[0] ?? 0] ?? '?',
    protectionLevel: PROTECTION[at(6).content[0] ?? 0] ?? '?',
    exportable: at(7).content[0] !== 0,
    creationTime: derTime(at(8)).toISOString(),
    keyState: text(at(9).content),
    constraints,
  };
}

const fromBase64Url = (s: string): Uint8Array =>
  Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** Verifies `attestation` (AttestKey's answer) against the pinned `rootPems`, for `challenge`, at `now`. */
export async function verifyAttestation(
  attestation: AttestKeyResponse,
  rootPems: readonly string[],
  challenge: Uint8Array,
  now = new Date(),
): Promise<Verdict> {
  try {
    const chain = attestation.certificateChain.map(parseCertificate);
    const problem = await chainProblem(chain, rootPems.map(parseCertificate), now);
    if (problem !== null) return { valid: false, reason: problem };
    let properties: AttestedProperties;
    if (attestation.format === 'JWS') {
      const [head = '', body = '', sig = ''] = (attestation.jws ?? '').split('.');
      const signer = chain[0];
      if (!signer) return { valid: false, reason: 'the chain is empty' };
      const signed = new TextEncoder().encode(`${head}.${body}`);
      if (!(await verifies(signer, '1.2.840.10045.4.3.2', signed, fromBase64Url(sig), false)))
        return { valid: false, reason: 'the JWS signature does not verify with the chain' };
      properties = JSON.parse(text(fromBase64Url(body))) as AttestedProperties;
    } else {
      const extension = chain[0]?.extensions.get(ATTESTATION_OID);
      if (!extension) return { valid: false, reason: 'the leaf carries no Custos attestation extension' };
      properties = decodeExtension(extension);
    }
    if (properties.challenge !== hex(challenge))
      return { valid: false, reason: 'the attestation answers another challenge' };
    return { valid: true, format: attestation.format, properties };
  } catch (error) {
    return { valid: false, reason: (error as Error).message };
  }
}
