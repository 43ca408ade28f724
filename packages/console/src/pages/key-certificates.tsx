// Key detail's public key (PEM and JWK with copy buttons) and certificate chain (GetKeyCertificate): each
// certificate's subject, issuer and validity, its PEM with a copy button, a check of the chain against the server's
// trust store (VerifyCertificateChain), and a self-signed certificate for a signing key with none
// (CreateSelfSignedCertificate). Each control only when the caller's roles permit its operation.
import type { KeyMetadata, VerifyCertificateChainResponse } from '@custos/client';
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { CopyButton, ErrorBox, Field, toBase64, useLoad, when } from '../ui.js';

/** Key pairs: everything but the raw secret keys (AES, HMAC). */
const isAsymmetric = (meta: KeyMetadata): boolean => !/^(SYMMETRIC_DEFAULT|AES_|HMAC_)/.test(meta.keySpec);

function pem(der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

export function PublicKey({ session, meta }: { session: Session; meta: KeyMetadata }) {
  const keyId = meta.keyId;
  const shown = isAsymmetric(meta) && meta.currentKeyVersion > 0 && session.may('GetPublicKey');
  const [pub, error] = useLoad(async () => (shown ? session.kms.getPublicKey({ keyId }) : undefined), [keyId]);
  if (!shown) return null;
  const pemText = pub ? pem(pub.publicKey) : '';
  const jwkText = pub ? JSON.stringify(pub.jwk, null, 2) : '';
  return (
    <section aria-labelledby="pub-h">
      <h2 id="pub-h">Public key</h2>
      <ErrorBox error={error} />
      {pub && (
        <div class="columns">
          <div>
            <h3>PEM</h3>
            <pre aria-label="Public key PEM">{pemText}</pre>
            <CopyButton text={pemText} label="Copy public key PEM" />
          </div>
          <div>
            <h3>JWK</h3>
            <pre aria-label="Public key JWK">{jwkText}</pre>
            <CopyButton text={jwkText} label="Copy public key JWK" />
          </div>
        </div>
      )}
    </section>
  );
}

/** One certificate of a chain: what it says, whether it is valid now (in words), and its PEM. */
export function CertificateView({ pem: text, index, chain }: { pem: string; index: number; chain: string }) {
  // The certificate library is most of the bundle: loaded with the first certificate shown, not with the console.
  const [library, loadError] = useLoad(() => import('../certificates.js'), []);
  if (!library) return <ErrorBox error={loadError} />;
  let cert;
  try {
    cert = library.readCertificate(text);
  } catch (error) {
    return <ErrorBox error={new Error(`certificate ${index + 1} cannot be read: ${(error as Error).message}`)} />;
  }
  const now = new Date();
  const current = now >= cert.notBefore && now <= cert.notAfter;
  return (
    <article class="cert" aria-label={`${chain} ${index + 1}`}>
      <h4>
        {index + 1}. {cert.subject}
      </h4>
      <dl class="meta">
        <div>
          <dt>Subject</dt>
          <dd data-testid="cert-subject">{cert.subject}</dd>
        </div>
        <div>
          <dt>Issuer</dt>
          <dd data-testid="cert-issuer">{cert.issuer}</dd>
        </div>
        <div>
          <dt>Valid</dt>
          <dd>
            {when(cert.notBefore)} to {when(cert.notAfter)}{' '}
            <span class={current ? 'badge badge-Enabled' : 'badge badge-Destroyed'}>
              {current ? '✓ valid now' : '✕ not valid now'}
            </span>
          </dd>
        </div>
        <div>
          <dt>Serial</dt>
          <dd>{cert.serialNumber}</dd>
        </div>
      </dl>
      <details>
        <summary>PEM</summary>
        <pre aria-label={`${chain} ${index + 1} PEM`}>{text}</pre>
      </details>
      <CopyButton text={text} label={`Copy ${chain.toLowerCase()} ${index + 1} PEM`} />
    </article>
  );
}

function ChainCheck({ verdict }: { verdict: VerifyCertificateChainResponse }) {
  return (
    <p role="status" data-testid="chain-check">
      {verdict.valid
        ? `✓ The chain verifies to the trust store (${verdict.path.length} certificates).`
        : `✕ The chain does not verify to the trust store: ${verdict.reason ?? ''} ${verdict.detail ?? ''}`}
    </p>
  );
}

export function CertificateChain({ session, meta }: { session: Session; meta: KeyMetadata }) {
  const { kms, may } = session;
  const keyId = meta.keyId;
  const shown = isAsymmetric(meta) && may('GetKeyCertificate');
  // A key with no certificate answers an error: the section then offers to make one.
  const [cert, , reload] = useLoad(
    async () => (shown ? kms.getKeyCertificate({ keyId }).catch(() => null) : null),
    [keyId],
  );
  const [subject, setSubject] = useState(`CN=${keyId}`);
  const [days, setDays] = useState('365');
  const [verdict, setVerdict] = useState<VerifyCertificateChainResponse | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  if (!shown) return null;
  const canCreate =
    may('CreateSelfSignedCertificate') && meta.keyUsage === 'SIGN_VERIFY' && meta.keyState === 'Enabled';
  return (
    <section aria-labelledby="cert-h">
      <h2 id="cert-h">Certificate chain</h2>
      <ErrorBox error={error} />
      {cert === null && <p>No certificate is stored for this key.</p>}
      {cert && (
        <>
          <p class="long">Leaf SHA-256 thumbprint: {cert.thumbprints.sha256}</p>
          {cert.certificateChain.map((c, i) => (
            <CertificateView pem={c} index={i} chain="Key certificate" />
          ))}
          {may('VerifyCertificateChain') && (
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setError(undefined);
                kms.verifyCertificateChain({ certificateChain: cert.certificateChain }).then(setVerdict, setError);
              }}
            >
              Check against the trust store
            </button>
          )}
          {verdict && <ChainCheck verdict={verdict} />}
        </>
      )}
      {canCreate && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            setError(undefined);
            setVerdict(undefined);
            kms.createSelfSignedCertificate({ keyId, subject, validityDays: Number(days) }).then(reload, setError);
          }}
        >
          <Field label="Certificate subject">
            <input
              name="subject"
              value={subject}
              onInput={(e) => {
                setSubject(e.currentTarget.value);
              }}
            />
          </Field>
          <Field label="Validity (days)">
            <input
              name="validityDays"
              type="number"
              min="1"
              max="36500"
              value={days}
              onInput={(e) => {
                setDays(e.currentTarget.value);
              }}
            />
          </Field>
          <button type="submit">Create self-signed certificate</button>
        </form>
      )}
    </section>
  );
}
