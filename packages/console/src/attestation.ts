// Verifying an attestation in the browser, as a relying party does (docs/attestation.md), with @peculiar/x509 and
// jose over WebCrypto: each certificate's signature by the next one's key, the last one self-signed and equal to a
// root the server pins (GetAttestationRoots), every certificate within its validity, then the attested properties
// (the leaf's extension, or the ES256 JWS payload signed by the chain's first certificate) and the challenge they
// answer.
import type { AttestKeyResponse } from '@custos/client';
import { compactVerify, errors } from 'jose';
import { ATTESTATION_OID_DER, decodeProperties, type AttestedProperties } from './attested-properties.js';
import { extensionValue, hex, readCertificate, type X509Certificate } from './certificates.js';

export type Verdict =
  | { readonly valid: true; readonly format: 'X509' | 'JWS'; readonly properties: AttestedProperties }
  | { readonly valid: false; readonly reason: string };

/** Null when the chain verifies to one of `roots` at `now`, else why not. */
async function chainProblem(chain: X509Certificate[], roots: X509Certificate[], now: Date): Promise<string | null> {
  const top = chain.at(-1);
  if (!top) return 'the chain is empty';
  if (!roots.some((r) => r.equal(top))) return 'the chain does not end at a root the server pins';
  for (const [i, cert] of chain.entries()) {
    if (now < cert.notBefore || now > cert.notAfter) return `certificate ${i + 1} (${cert.subject}) is not valid now`;
    const issuer = chain[i + 1] ?? cert;
    if (cert.issuer !== issuer.subject) return `certificate ${i + 1} was not issued by the next one`;
    if (!(await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true })))
      return `the signature of certificate ${i + 1} (${cert.subject}) does not verify`;
  }
  return null;
}

/** The JWS payload's properties, or null when its signature does not verify with `signer`'s key. */
async function jwsProperties(jws: string, signer: X509Certificate): Promise<AttestedProperties | null> {
  try {
    const { payload } = await compactVerify(jws, await signer.publicKey.export(), { algorithms: ['ES256'] });
    return JSON.parse(new TextDecoder().decode(payload)) as AttestedProperties;
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return null;
    throw error;
  }
}

/** Verifies `attestation` (AttestKey's answer) against the pinned `rootPems`, for `challenge`, at `now`. */
export async function verifyAttestation(
  attestation: AttestKeyResponse,
  rootPems: readonly string[],
  challenge: Uint8Array,
  now = new Date(),
): Promise<Verdict> {
  try {
    const chain = attestation.certificateChain.map(readCertificate);
    const problem = await chainProblem(chain, rootPems.map(readCertificate), now);
    if (problem !== null) return { valid: false, reason: problem };
    const leaf = chain[0];
    if (!leaf) return { valid: false, reason: 'the chain is empty' };
    let properties: AttestedProperties | null;
    if (attestation.format === 'JWS') {
      properties = await jwsProperties(attestation.jws ?? '', leaf);
      if (properties === null) return { valid: false, reason: 'the JWS signature does not verify with the chain' };
    } else {
      const extension = extensionValue(leaf, ATTESTATION_OID_DER);
      if (!extension) return { valid: false, reason: 'the leaf carries no Custos attestation extension' };
      properties = decodeProperties(extension);
    }
    if (properties.challenge !== hex(challenge))
      return { valid: false, reason: 'the attestation answers another challenge' };
    return { valid: true, format: attestation.format, properties };
  } catch (error) {
    return { valid: false, reason: (error as Error).message };
  }
}
