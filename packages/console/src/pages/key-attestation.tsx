// Key detail's attestation: "Attest" asks AttestKey with a fresh random challenge, verifies the answer here against
// the roots the server pins (GetAttestationRoots) and shows the attested fields, the verdict in words, and the chain.
// Shown only when the caller may both attest and read the roots.
import type { AttestKeyResponse, KeyMetadata } from '@custos/client';
import { useState } from 'preact/hooks';
import type { Verdict } from '../attestation.js';
import type { Session } from '../session.js';
import { ErrorBox } from '../ui.js';
import { CertificateView } from './key-certificates.js';

function value(v: unknown): string {
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v);
    return entries.length === 0
      ? 'none'
      : entries.map(([k, x]) => `${k}: ${Array.isArray(x) ? x.join(', ') : String(x)}`).join('; ');
  }
  return String(v);
}

export function Attestation({ session, meta }: { session: Session; meta: KeyMetadata }) {
  const { kms, may } = session;
  const [answer, setAnswer] = useState<{ attestation: AttestKeyResponse; verdict: Verdict } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const attestable = meta.keyState === 'Enabled' || meta.keyState === 'Disabled';
  if (!may('AttestKey') || !may('GetAttestationRoots') || !attestable) return null;
  const attest = async () => {
    const challenge = crypto.getRandomValues(new Uint8Array(32));
    const [attestation, roots] = await Promise.all([
      kms.attestKey({ keyId: meta.keyId, challenge }),
      kms.getAttestationRoots({}),
    ]);
    // Loaded on the first use: the certificate and JWS libraries are most of the bundle.
    const { verifyAttestation } = await import('../attestation.js');
    return { attestation, verdict: await verifyAttestation(attestation, roots.certificates, challenge) };
  };
  const verdict = answer?.verdict;
  return (
    <section aria-labelledby="attest-h">
      <h2 id="attest-h">Attestation</h2>
      <p>
        The server's attestation identity vouches for this key's properties and a fresh challenge; the console checks
        the signatures up to the root the server pins.
      </p>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(undefined);
          attest().then(
            (a) => {
              setAnswer(a);
              setBusy(false);
            },
            (e: unknown) => {
              setError(e);
              setBusy(false);
            },
          );
        }}
      >
        Attest
      </button>
      <ErrorBox error={error} />
      {verdict && (
        <p role="status" data-testid="attestation-verdict" class={verdict.valid ? 'notice' : 'error'}>
          {verdict.valid
            ? `✓ Attestation verified (${verdict.format}): signatures check to the pinned root and the challenge matches.`
            : `✕ Attestation not verified: ${verdict.reason}`}
        </p>
      )}
      {verdict?.valid && (
        <dl class="meta" aria-label="Attested properties">
          {Object.entries(verdict.properties).map(([k, v]) => (
            <div>
              <dt>{k}</dt>
              <dd>{value(v)}</dd>
            </div>
          ))}
        </dl>
      )}
      {answer && (
        <details>
          <summary>Attestation chain ({answer.attestation.certificateChain.length} certificates)</summary>
          {answer.attestation.certificateChain.map((c, i) => (
            <CertificateView pem={c} index={i} chain="Attestation certificate" />
          ))}
        </details>
      )}
    </section>
  );
}
