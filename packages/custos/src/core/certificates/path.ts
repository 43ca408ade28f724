// Certificate path validation: x509's X509ChainBuilder builds the path (issuer names, key identifiers, signatures),
// then the checks of RFC 5280 §6.1 that it leaves out: the path ends at a pinned anchor, validity periods at a given
// time, basicConstraints cA and keyUsage keyCertSign on every issuer, pathLenConstraint. Pure: no store, service, api.
import type { ChainFailure, PathElement } from '@custos/contract';
import { thumbprints, x509 } from './x509.js';

/** The outcome of a verification: a failing chain is an answer, not an error. */
export interface ChainVerdict {
  readonly valid: boolean;
  readonly path: PathElement[];
  readonly reason?: ChainFailure;
  readonly detail?: string;
}

const element = (cert: x509.X509Certificate): PathElement => ({
  subject: cert.subject,
  issuer: cert.issuer,
  thumbprint: thumbprints(cert).sha256,
});

/** Why `cert` cannot issue certificates (not a CA, or no keyCertSign), or null when it can. */
export function caRightsProblem(cert: x509.X509Certificate): string | null {
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  if (!basic?.ca) return `${cert.subject} is not a CA certificate (basicConstraints cA is not set)`;
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  if (usage && (usage.usages & x509.KeyUsageFlags.keyCertSign) === 0)
    return `${cert.subject} may not sign certificates (keyUsage has no keyCertSign)`;
  return null;
}

/** Why `cert` is not valid at `at` (EXPIRED or NOT_YET_VALID), or null when it is. */
export function validityProblem(
  cert: x509.X509Certificate,
  at: Date,
): { reason: 'EXPIRED' | 'NOT_YET_VALID'; detail: string } | null {
  if (at.getTime() > cert.notAfter.getTime())
    return { reason: 'EXPIRED', detail: `${cert.subject} expired at ${cert.notAfter.toISOString()}` };
  if (at.getTime() < cert.notBefore.getTime())
    return { reason: 'NOT_YET_VALID', detail: `${cert.subject} is not valid before ${cert.notBefore.toISOString()}` };
  return null;
}

/** The pathLenConstraint of a CA certificate; undefined when unlimited. */
export function pathLengthOf(cert: x509.X509Certificate): number | undefined {
  return cert.getExtension(x509.BasicConstraintsExtension)?.pathLength;
}

/**
 * Verifies `chain` (leaf first, intermediates in any order) against `anchors` at `at`. The path is cut at the
 * first pinned anchor; an anchor as leaf is valid by itself.
 */
export async function verifyChain(
  chain: readonly x509.X509Certificate[],
  anchors: readonly x509.X509Certificate[],
  at: Date,
): Promise<ChainVerdict> {
  const [leaf, ...rest] = chain;
  if (!leaf) return { valid: false, path: [], reason: 'MALFORMED', detail: 'the chain is empty' };
  const pinned = new Set(anchors.map((a) => thumbprints(a).sha256));
  let built: x509.X509Certificate[];
  try {
    // Anchors first: when a chain carries a copy of an anchor, or another certificate for its key, the anchor wins.
    built = [...(await new x509.X509ChainBuilder({ certificates: [...anchors, ...rest] }).build(leaf))];
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : 'the path cannot be built';
    return { valid: false, path: [element(leaf)], reason: 'MALFORMED', detail };
  }
  const anchorAt = built.findIndex((cert) => pinned.has(thumbprints(cert).sha256));
  const last = built.at(-1);
  if (anchorAt < 0 || !last) {
    const detail = !last
      ? 'the path is empty'
      : (await last.isSelfSigned())
        ? `the chain ends at ${last.subject}, which is not a trust anchor of this domain`
        : `no issuer of ${last.subject} was found among the chain and the trust anchors`;
    return { valid: false, path: built.map(element), reason: 'UNTRUSTED', detail };
  }
  const path = built.slice(0, anchorAt + 1);
  const fail = (reason: ChainFailure, detail: string): ChainVerdict => ({
    valid: false,
    path: path.map(element),
    reason,
    detail,
  });
  for (const cert of path) {
    const problem = validityProblem(cert, at);
    if (problem) return fail(problem.reason, problem.detail);
  }
  // Issuers are path[1..]; below path[i] are i - 1 CA certificates before the leaf (RFC 5280 §4.2.1.9).
  for (const [i, issuer] of path.entries()) {
    if (i === 0) continue;
    const problem = caRightsProblem(issuer);
    if (problem) return fail('NOT_A_CA', problem);
    const limit = pathLengthOf(issuer);
    if (limit !== undefined && i - 1 > limit)
      return fail('PATH_LENGTH_EXCEEDED', `${issuer.subject} allows ${limit} CA certificates below it, not ${i - 1}`);
  }
  return { valid: true, path: path.map(element) };
}
