// Verifying an attestation as a relying party does: the chain (or the JWS's `x5c`) to a pinned root with the
// certificates module's path checks, the signature, the challenge, then the properties. Pure: no store, service or
// api; `custos attestation verify` runs it with no server.
import { createPublicKey } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { verifyChain } from '../certificates/path.js';
import { x509 } from '../certificates/x509.js';
import { ATTESTATION_JWS_TYPE } from './certificate.js';
import { extensionValue } from './oid.js';
import { ATTESTATION_EXTENSION_OID, decodeProperties, type AttestedProperties } from './properties.js';

/** What a verification found: the properties, or why not. */
export type AttestationVerdict =
  | { readonly valid: true; readonly format: 'X509' | 'JWS'; readonly properties: AttestedProperties }
  | { readonly valid: false; readonly reason: string };

const fail = (reason: string): AttestationVerdict => ({ valid: false, reason });

/** A compact JWS is three base64url parts; anything else is taken as PEM. */
function isCompactJws(text: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(text.trim());
}

function parseAll(pems: readonly string[], what: string): x509.X509Certificate[] | string {
  try {
    return pems.map((pem) => new x509.X509Certificate(pem));
  } catch {
    return `${what} holds something that is not an X.509 certificate`;
  }
}

/** Splits PEM text into its certificates (PEM strings). */
export function splitPem(text: string): string[] {
  return x509.PemConverter.decode(text).map((der) => x509.PemConverter.encode(der, 'CERTIFICATE'));
}

async function checkPath(
  chain: readonly x509.X509Certificate[],
  roots: readonly x509.X509Certificate[],
  now: Date,
): Promise<string | null> {
  if (roots.length === 0) return 'no pinned root was given';
  const verdict = await verifyChain(chain, roots, now);
  return verdict.valid ? null : `the chain does not verify to a pinned root: ${verdict.detail ?? verdict.reason ?? ''}`;
}

function checkChallenge(properties: AttestedProperties, challengeHex: string): string | null {
  return properties.challenge === challengeHex.toLowerCase() ? null : 'the attestation was made for another challenge';
}

async function verifyCertificateChain(
  chainPems: readonly string[],
  roots: readonly x509.X509Certificate[],
  challengeHex: string,
  now: Date,
): Promise<AttestationVerdict> {
  const chain = parseAll(chainPems, 'the chain');
  if (typeof chain === 'string') return fail(chain);
  const leaf = chain[0];
  if (!leaf) return fail('the chain is empty');
  const pathProblem = await checkPath(chain, roots, now);
  if (pathProblem) return fail(pathProblem);
  const extension = extensionValue(leaf, ATTESTATION_EXTENSION_OID);
  if (!extension) return fail('the leaf certificate carries no Custos attestation extension');
  let properties: AttestedProperties;
  try {
    properties = decodeProperties(extension);
  } catch {
    return fail('the attestation extension is malformed');
  }
  const challengeProblem = checkChallenge(properties, challengeHex);
  return challengeProblem ? fail(challengeProblem) : { valid: true, format: 'X509', properties };
}

async function verifyJws(
  jws: string,
  roots: readonly x509.X509Certificate[],
  challengeHex: string,
  now: Date,
): Promise<AttestationVerdict> {
  let x5c: string[];
  try {
    const header = decodeProtectedHeader(jws);
    if (header.alg !== 'ES256' || header.typ !== ATTESTATION_JWS_TYPE)
      return fail('the JWS is not a Custos attestation');
    x5c = header.x5c ?? [];
  } catch {
    return fail('the JWS is malformed');
  }
  const chain = parseAll(
    x5c.map((b64) => x509.PemConverter.encode(Buffer.from(b64, 'base64'), 'CERTIFICATE')),
    'the JWS x5c header',
  );
  if (typeof chain === 'string') return fail(chain);
  const signerCert = chain[0];
  if (!signerCert) return fail('the JWS has no x5c certificate chain');
  const pathProblem = await checkPath(chain, roots, now);
  if (pathProblem) return fail(pathProblem);
  let payload: Uint8Array;
  try {
    const key = createPublicKey({ key: Buffer.from(signerCert.publicKey.rawData), format: 'der', type: 'spki' });
    ({ payload } = await compactVerify(jws, key, { algorithms: ['ES256'] }));
  } catch {
    return fail('the JWS signature does not verify with its x5c certificate');
  }
  let properties: AttestedProperties;
  try {
    properties = JSON.parse(new TextDecoder().decode(payload)) as AttestedProperties;
  } catch {
    return fail('the JWS payload is not JSON');
  }
  const challengeProblem = checkChallenge(properties, challengeHex);
  return challengeProblem ? fail(challengeProblem) : { valid: true, format: 'JWS', properties };
}

/**
 * Verifies an attestation, a PEM chain (leaf first) or a compact JWS, against pinned `rootsPem`, for `challengeHex`,
 * at `now`.
 * @example const verdict = await verifyAttestation(readFileSync('chain.pem', 'utf8'), roots, 'a1b2…', new Date());
 */
export async function verifyAttestation(
  attestation: string,
  rootsPem: string,
  challengeHex: string,
  now: Date,
): Promise<AttestationVerdict> {
  const roots = parseAll(splitPem(rootsPem), 'the roots file');
  if (typeof roots === 'string') return fail(roots);
  if (isCompactJws(attestation)) return verifyJws(attestation.trim(), roots, challengeHex, now);
  let pems: string[];
  try {
    pems = splitPem(attestation);
  } catch {
    return fail('the chain is not PEM');
  }
  return verifyCertificateChain(pems, roots, challengeHex, now);
}
