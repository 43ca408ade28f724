// Keyrings (MOSIP): each application id's policy (validity, pre-expiry, active, who may use it) and its current keys
// and certificates (ListKeyringCertificates).
import type { KeyringPolicy } from '@custos/client';
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { ErrorBox, PageTitle, useLoad, when } from '../ui.js';

function Certificates({ session, applicationId }: { session: Session; applicationId: string }) {
  const [certs, error] = useLoad(() => session.kms.listKeyringCertificates({ applicationId }), [applicationId]);
  return (
    <>
      <ErrorBox error={error} />
      <table>
        <caption>Keys and certificates of {applicationId}</caption>
        <thead>
          <tr>
            <th scope="col">Key id</th>
            <th scope="col">Issued</th>
            <th scope="col">Expires</th>
            <th scope="col">Thumbprint</th>
          </tr>
        </thead>
        <tbody>
          {certs?.certificates.map((c) => (
            <tr>
              <td>
                <a href={`#/keys/${encodeURIComponent(c.keyId)}`}>{c.keyId}</a>
              </td>
              <td>{when(c.issuedAt)}</td>
              <td>{when(c.expiresAt)}</td>
              <td class="mono">{c.thumbprint}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function KeyringsPage({ session }: { session: Session }) {
  const [policies, error] = useLoad(() => session.kms.listKeyringPolicies({}), []);
  const [open, setOpen] = useState<string | undefined>(undefined);
  return (
    <section>
      <PageTitle>Keyrings</PageTitle>
      <ErrorBox error={error} />
      {policies?.policies.length === 0 && <p>No keyring policy yet (custos keyring policy put).</p>}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Application id</th>
              <th scope="col">Validity (days)</th>
              <th scope="col">Pre-expiry (days)</th>
              <th scope="col">Active</th>
              <th scope="col">Access allowed</th>
              <th scope="col">Keys</th>
            </tr>
          </thead>
          <tbody>
            {policies?.policies.map((p: KeyringPolicy) => (
              <tr>
                <td>{p.applicationId}</td>
                <td>{p.validityDays}</td>
                <td>{p.preExpireDays}</td>
                <td>{p.active ? 'yes' : 'no'}</td>
                <td>{p.accessAllowed}</td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    aria-expanded={open === p.applicationId}
                    onClick={() => {
                      setOpen(open === p.applicationId ? undefined : p.applicationId);
                    }}
                  >
                    {open === p.applicationId ? 'Hide keys' : 'Show keys'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open !== undefined && session.may('ListKeyringCertificates') && (
        <Certificates session={session} applicationId={open} />
      )}
    </section>
  );
}
