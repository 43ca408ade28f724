// IssueCertificate (Custos): Custos as a CA. The CSR's signature is checked first; the key's own certificate must
// be a CA certificate for its latest version, valid now, whose pathLength allows what is asked.
// Must not import api.
import {
  InvalidStateError,
  ValidationError,
  VerificationFailedError,
  issueCertificateOperation,
} from '@custos/contract';
import { createCertificate } from '../../core/certificates/issue.js';
import { caRightsProblem, pathLengthOf, validityProblem } from '../../core/certificates/path.js';
import { parseCertificate, parseCsr, samePublicKey, spkiOf, x509 } from '../../core/certificates/x509.js';
import * as repo from '../../store/repositories/index.js';
import { keySigner, madeCertificate } from '../certificates.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';

/** id-ce-subjectAltName (RFC 5280 §4.2.1.6). */
const SUBJECT_ALT_NAME = '2.5.29.17';

const notCa = (message: string) => new InvalidStateError(message, 'ISSUER_NOT_CA');

/** The issued certificate's pathLength: within the issuer's (RFC 5280 §4.2.1.9), or ISSUER_NOT_CA. */
function issuedPathLength(issuer: x509.X509Certificate, isCa: boolean, requested: number | undefined) {
  const limit = pathLengthOf(issuer);
  if (!isCa || limit === undefined) return requested;
  if (limit === 0) throw notCa(`${issuer.subject} has pathLength 0: it may issue end-entity certificates only`);
  if (requested !== undefined && requested > limit - 1)
    throw notCa(`${issuer.subject} has pathLength ${limit}: an issued CA may have at most ${limit - 1}`);
  return requested ?? limit - 1;
}

/** Parses the CSR and checks its signature (INVALID_SIGNATURE), before anything is signed. */
async function checkedCsr(pem: string): Promise<x509.Pkcs10CertificateRequest> {
  const csr = parseCsr(pem);
  let valid: boolean;
  try {
    valid = await csr.verify();
  } catch (cause) {
    throw new ValidationError("the CSR's key or signature algorithm is not supported", 'INVALID_CERTIFICATE', {
      cause,
    });
  }
  if (!valid) throw new VerificationFailedError('INVALID_SIGNATURE');
  return csr;
}

/** The subjectAltName of the CSR's extensionRequest (PKCS#9), carried into the certificate. */
function requestedAltNames(csr: x509.Pkcs10CertificateRequest): x509.SubjectAlternativeNameExtension | undefined {
  const extension = csr.getExtension(SUBJECT_ALT_NAME);
  return extension ? new x509.SubjectAlternativeNameExtension(extension.rawData) : undefined;
}

export const issueCertificate = defineOperation(
  issueCertificateOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    const isCa = input.isCa ?? false;
    if (input.pathLength !== undefined && !isCa)
      throw new ValidationError('pathLength is only for a CA certificate (isCa)');
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const own = await repo.keyCertificates.get(ctx.store.db, key.id);
    if (!own?.chain[0]) throw notCa(`key ${key.id} has no certificate`);
    const issuer = parseCertificate(own.chain[0], "the key's certificate");
    const signer = await keySigner(ctx, key, input.signingAlgorithm);
    if (!samePublicKey(spkiOf(issuer), signer.publicKey))
      throw notCa(`the certificate of key ${key.id} certifies an earlier version of it: set a new one`);
    const rights = caRightsProblem(issuer);
    if (rights) throw notCa(rights);
    const validity = validityProblem(issuer, ctx.now());
    if (validity) throw notCa(validity.detail);
    const pathLength = issuedPathLength(issuer, isCa, input.pathLength);
    const csr = await checkedCsr(input.csr);
    const certificate = await createCertificate(
      { certificate: issuer, signer },
      {
        publicKey: spkiOf(csr),
        subject: csr.subjectName,
        validityDays: input.validityDays,
        isCa,
        pathLength,
        subjectAltName: requestedAltNames(csr),
        now: ctx.now(),
      },
    );
    const { pem, prints } = madeCertificate(ctx, certificate, isCa);
    return {
      keyId: keyArn(ctx.config, key.id),
      certificate: pem,
      certificateChain: [pem, ...own.chain],
      thumbprints: prints,
    };
  },
);
