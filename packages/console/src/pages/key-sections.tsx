// Sections of Key detail below its metadata and actions: versions (ListKeyRotations), the key policy (a JSON editor
// that validates before PutKeyPolicy) and grants, and the key's recent operations from the audit log. Aliases and
// tags are in key-aliases.tsx, the public key, certificate chain and attestation in key-certificates.tsx.
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { ErrorBox, Field, StateBadge, useLoad, when } from '../ui.js';

export function Versions({ session, keyId, version }: { session: Session; keyId: string; version: number }) {
  // Reloaded when the key's current version changes (a rotation from Actions).
  const [data, error] = useLoad(() => session.kms.listKeyRotations({ keyId }), [keyId, version]);
  return (
    <section aria-labelledby="versions-h">
      <h2 id="versions-h">Versions</h2>
      <ErrorBox error={error} />
      {data?.rotations.length === 0 && <p>Never rotated: one version.</p>}
      {data && data.rotations.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Rotated</th>
              <th scope="col">Rotation type</th>
            </tr>
          </thead>
          <tbody>
            {data.rotations.map((r) => (
              <tr>
                <td>{r.keyVersion ?? ''}</td>
                <td>{when(r.rotationDate)}</td>
                <td>{r.rotationType ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function PolicyAndGrants({ session, keyId }: { session: Session; keyId: string }) {
  const { kms, may } = session;
  const [policy, policyError, reload] = useLoad(
    async () => (may('GetKeyPolicy') ? (await kms.getKeyPolicy({ keyId })).policy : undefined),
    [keyId],
  );
  const [grants] = useLoad(async () => (may('ListGrants') ? (await kms.listGrants({ keyId })).grants : []), [keyId]);
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const text = draft ?? (policy ? JSON.stringify(JSON.parse(policy), null, 2) : '');
  let invalid = '';
  try {
    if (draft !== undefined) JSON.parse(draft);
  } catch (e) {
    invalid = (e as Error).message;
  }
  return (
    <section aria-labelledby="policy-h">
      <h2 id="policy-h">Key policy and grants</h2>
      <ErrorBox error={policyError ?? error} />
      {policy !== undefined && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (invalid !== '' || draft === undefined) return;
            setError(undefined);
            kms.putKeyPolicy({ keyId, policy: JSON.stringify(JSON.parse(draft)) }).then(() => {
              setDraft(undefined);
              setSaved(true);
              reload();
            }, setError);
          }}
        >
          <Field label="Key policy (JSON)">
            <textarea
              name="policy"
              rows={12}
              readOnly={!may('PutKeyPolicy')}
              aria-invalid={invalid !== ''}
              value={text}
              onInput={(e) => {
                setSaved(false);
                setDraft(e.currentTarget.value);
              }}
            />
          </Field>
          {invalid !== '' && <p class="error">Not valid JSON: {invalid}</p>}
          {may('PutKeyPolicy') && (
            <button type="submit" disabled={invalid !== '' || draft === undefined}>
              Save policy
            </button>
          )}
          {saved && <p role="status">Policy saved.</p>}
        </form>
      )}
      {grants && grants.length > 0 && (
        <table>
          <caption>Grants</caption>
          <thead>
            <tr>
              <th scope="col">Grant id</th>
              <th scope="col">Grantee</th>
              <th scope="col">Operations</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {grants.map((g) => (
              <tr>
                <td>{g.grantId}</td>
                <td>{g.granteePrincipal}</td>
                <td>{g.operations.join(', ')}</td>
                <td>{when(g.creationDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Usage({ session, keyId }: { session: Session; keyId: string }) {
  const [records, error] = useLoad(
    async () =>
      session.may('ListAuditRecords') ? (await session.kms.listAuditRecords({ keyId, last: 20 })).records : undefined,
    [keyId],
  );
  if (records === undefined && error === undefined) return null;
  return (
    <section aria-labelledby="usage-h">
      <h2 id="usage-h">Recent operations</h2>
      <ErrorBox error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Principal</th>
            <th scope="col">Operation</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {[...(records ?? [])].reverse().map((r) => (
            <tr>
              <td>{when(r.time)}</td>
              <td>{r.principal}</td>
              <td>{r.operation}</td>
              <td>
                <StateBadge state={r.outcome} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <a href={`#/audit?key=${encodeURIComponent(keyId)}`}>All audit records of this key</a>
    </section>
  );
}
