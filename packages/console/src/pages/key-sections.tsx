// The sections of Key detail below its metadata and actions: versions (ListKeyRotations), aliases and tags
// (editable), the public key as PEM and JWK and the certificate chain, the key policy (a JSON editor that validates
// before PutKeyPolicy) and grants, and the key's recent operations from the audit log.
import type { KeyMetadata } from '@custos/client';
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { CopyButton, ErrorBox, Field, StateBadge, toBase64, useLoad, when } from '../ui.js';

export function Versions({ session, keyId }: { session: Session; keyId: string }) {
  const [data, error] = useLoad(() => session.kms.listKeyRotations({ keyId }), [keyId]);
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

export function AliasesAndTags({ session, meta }: { session: Session; meta: KeyMetadata }) {
  const { kms, may } = session;
  const keyId = meta.keyId;
  const [aliases, aliasError, reloadAliases] = useLoad(() => kms.listAliases({ keyId }), [keyId]);
  const [tags, tagError, reloadTags] = useLoad(() => kms.listResourceTags({ keyId }), [keyId]);
  const [alias, setAlias] = useState('alias/');
  const [tagKey, setTagKey] = useState('');
  const [tagValue, setTagValue] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const act = (action: () => Promise<unknown>, then: () => void) => {
    setError(undefined);
    action().then(then, setError);
  };
  return (
    <section aria-labelledby="aliases-h">
      <h2 id="aliases-h">Aliases and tags</h2>
      <ErrorBox error={aliasError ?? tagError ?? error} />
      <ul class="chips" aria-label="Aliases">
        {aliases?.aliases.map((a) => (
          <li>
            {a.aliasName}
            {may('DeleteAlias') && (
              <button
                type="button"
                class="link"
                aria-label={`Delete alias ${a.aliasName}`}
                onClick={() => {
                  act(() => kms.deleteAlias({ aliasName: a.aliasName }), reloadAliases);
                }}
              >
                ✕
              </button>
            )}
          </li>
        ))}
      </ul>
      {may('CreateAlias') && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            act(
              () => kms.createAlias({ aliasName: alias, targetKeyId: keyId }),
              () => {
                setAlias('alias/');
                reloadAliases();
              },
            );
          }}
        >
          <Field label="New alias">
            <input
              name="alias"
              value={alias}
              onInput={(e) => {
                setAlias(e.currentTarget.value);
              }}
            />
          </Field>
          <button type="submit">Add alias</button>
        </form>
      )}
      <ul class="chips" aria-label="Tags">
        {tags?.tags.map((t) => (
          <li>
            {t.tagKey}={t.tagValue}
            {may('UntagResource') && (
              <button
                type="button"
                class="link"
                aria-label={`Remove tag ${t.tagKey}`}
                onClick={() => {
                  act(() => kms.untagResource({ keyId, tagKeys: [t.tagKey] }), reloadTags);
                }}
              >
                ✕
              </button>
            )}
          </li>
        ))}
      </ul>
      {may('TagResource') && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            act(
              () => kms.tagResource({ keyId, tags: [{ tagKey, tagValue }] }),
              () => {
                setTagKey('');
                setTagValue('');
                reloadTags();
              },
            );
          }}
        >
          <Field label="Tag key">
            <input
              name="tagKey"
              required
              value={tagKey}
              onInput={(e) => {
                setTagKey(e.currentTarget.value);
              }}
            />
          </Field>
          <Field label="Tag value">
            <input
              name="tagValue"
              value={tagValue}
              onInput={(e) => {
                setTagValue(e.currentTarget.value);
              }}
            />
          </Field>
          <button type="submit">Add tag</button>
        </form>
      )}
    </section>
  );
}

function pem(der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

export function PublicKey({ session, meta }: { session: Session; meta: KeyMetadata }) {
  const asymmetric = /^(RSA|ECC|X25519)/.test(meta.keySpec) || meta.keySpec.startsWith('ML_');
  const keyId = meta.keyId;
  const [pub, error] = useLoad(
    async () => (asymmetric && meta.currentKeyVersion > 0 ? session.kms.getPublicKey({ keyId }) : undefined),
    [keyId],
  );
  // A key with no certificate answers an error: nothing to show then.
  const [cert] = useLoad(
    async () => (asymmetric ? session.kms.getKeyCertificate({ keyId }).catch(() => undefined) : undefined),
    [keyId],
  );
  if (!asymmetric) return null;
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
      {cert && (
        <>
          <h3>Certificate chain</h3>
          <p>Leaf thumbprints: {JSON.stringify(cert.thumbprints)}</p>
          {cert.certificateChain.map((c, i) => (
            <pre aria-label={`Certificate ${i + 1}`}>{c}</pre>
          ))}
        </>
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
