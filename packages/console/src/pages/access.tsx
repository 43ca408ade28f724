// Access: API tokens and access keys (AWS SigV4 credentials): create (the secret shown once, with a copy button),
// list, revoke.
import type { Role } from '@custos/client';
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { CopyButton, ErrorBox, Field, PageTitle, useLoad, when } from '../ui.js';

const ROLES: readonly Role[] = ['admin', 'key-admin', 'key-user', 'monitor'];

function Secret({ label, value }: { label: string; value: string }) {
  return (
    <div class="secret" role="status">
      <p>
        <strong>{label}</strong> (shown once: copy it now)
      </p>
      <code data-testid="secret">{value}</code> <CopyButton text={value} label={`Copy ${label}`} />
    </div>
  );
}

function RolesPicker({ roles, setRoles }: { roles: Role[]; setRoles: (r: Role[]) => void }) {
  return (
    <fieldset>
      <legend>Roles</legend>
      {ROLES.map((r) => (
        <label class="check">
          <input
            type="checkbox"
            name={`role-${r}`}
            checked={roles.includes(r)}
            onChange={(e) => {
              setRoles(e.currentTarget.checked ? [...roles, r] : roles.filter((x) => x !== r));
            }}
          />
          {r}
        </label>
      ))}
    </fieldset>
  );
}

function Tokens({ session }: { session: Session }) {
  const { kms } = session;
  const [list, listError, reload] = useLoad(() => kms.listTokens({}), []);
  const [roles, setRoles] = useState<Role[]>(['key-user']);
  const [description, setDescription] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  return (
    <section aria-labelledby="tokens-h">
      <h2 id="tokens-h">API tokens</h2>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          kms.createToken({ roles, description }).then((r) => {
            setSecret(r.token);
            setDescription('');
            reload();
          }, setError);
        }}
      >
        <RolesPicker roles={roles} setRoles={setRoles} />
        <Field label="Token description">
          <input
            name="tokenDescription"
            value={description}
            onInput={(e) => {
              setDescription(e.currentTarget.value);
            }}
          />
        </Field>
        <button type="submit">Create token</button>
      </form>
      {secret !== '' && <Secret label="New token" value={secret} />}
      <ErrorBox error={listError ?? error} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Token id</th>
              <th scope="col">Principal</th>
              <th scope="col">Roles</th>
              <th scope="col">Description</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {list?.tokens.map((t) => (
              <tr>
                <td>{t.tokenId}</td>
                <td>{t.principal}</td>
                <td>{t.roles.join(', ')}</td>
                <td>{t.description}</td>
                <td>{when(t.createdAt)}</td>
                <td>{t.revokedAt ? `revoked ${when(t.revokedAt)}` : 'active'}</td>
                <td>
                  {!t.revokedAt && (
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Revoke token ${t.tokenId}`}
                      onClick={() => {
                        kms.revokeToken({ tokenId: t.tokenId }).then(reload, setError);
                      }}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function AccessKeys({ session }: { session: Session }) {
  const { kms } = session;
  const [list, listError, reload] = useLoad(() => kms.listAccessKeys({}), []);
  const [roles, setRoles] = useState<Role[]>(['key-user']);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  return (
    <section aria-labelledby="akeys-h">
      <h2 id="akeys-h">Access keys (AWS SigV4)</h2>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          kms.createAccessKey({ roles }).then((r) => {
            setSecret(`${r.accessKeyId} ${r.secretAccessKey}`);
            reload();
          }, setError);
        }}
      >
        <RolesPicker roles={roles} setRoles={setRoles} />
        <button type="submit">Create access key</button>
      </form>
      {secret !== '' && <Secret label="Access key id and secret" value={secret} />}
      <ErrorBox error={listError ?? error} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Access key id</th>
              <th scope="col">Principal</th>
              <th scope="col">Roles</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {list?.accessKeys.map((k) => (
              <tr>
                <td>{k.accessKeyId}</td>
                <td>{k.principal}</td>
                <td>{k.roles.join(', ')}</td>
                <td>{when(k.createdAt)}</td>
                <td>{k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active'}</td>
                <td>
                  {!k.revokedAt && (
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Revoke access key ${k.accessKeyId}`}
                      onClick={() => {
                        kms.revokeAccessKey({ accessKeyId: k.accessKeyId }).then(reload, setError);
                      }}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function AccessPage({ session }: { session: Session }) {
  return (
    <section>
      <PageTitle>Access</PageTitle>
      <Tokens session={session} />
      {session.may('ListAccessKeys') && <AccessKeys session={session} />}
    </section>
  );
}
