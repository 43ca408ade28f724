// Key detail: the key's metadata and constraints, and its actions (enable/disable, rotate, update description,
// schedule and cancel deletion with a typed confirmation of the key id or an alias), shown only when the caller's
// roles permit them. The other sections are in key-sections.tsx (versions, policy, grants, usage), key-aliases.tsx,
// key-certificates.tsx (public key, certificate chain) and key-attestation.tsx.
import type { KeyMetadata } from '@custos/client';
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { ErrorBox, Field, PageTitle, StateBadge, useLoad, when } from '../ui.js';
import { AliasesAndTags } from './key-aliases.js';
import { Attestation } from './key-attestation.js';
import { CertificateChain, PublicKey } from './key-certificates.js';
import { PolicyAndGrants, Usage, Versions } from './key-sections.js';

function Metadata({ meta }: { meta: KeyMetadata }) {
  const c = meta.usageConstraints;
  const rows: [string, string][] = [
    ['Key id', meta.keyId],
    ['ARN', meta.arn],
    ['Description', meta.description],
    ['Spec', meta.keySpec],
    ['Usage', meta.keyUsage],
    ['Origin', meta.origin],
    ['Protection', meta.protectionLevel],
    ['Created', when(meta.creationDate)],
    ['Current version', String(meta.currentKeyVersion)],
    ['Exportable', meta.exportable ? 'yes' : 'no'],
    [
      'Algorithms',
      [
        ...(meta.encryptionAlgorithms ?? []),
        ...(meta.signingAlgorithms ?? []),
        ...(meta.macAlgorithms ?? []),
        ...(meta.keyAgreementAlgorithms ?? []),
        ...(meta.derivationAlgorithms ?? []),
      ].join(', '),
    ],
    ['Deletion date', when(meta.deletionDate)],
    ['Keyring', meta.keyring ? `${meta.keyring.applicationId} / ${meta.keyring.referenceId || '(master)'}` : ''],
    ['Allowed algorithms', c.allowedAlgorithms?.join(', ') ?? 'any'],
    ['Not before', when(c.notBefore)],
    ['Not after', when(c.notAfter)],
    ['Uses', c.maxUses !== undefined ? `${c.useCount} of ${c.maxUses}` : String(c.useCount)],
  ];
  return (
    <dl class="meta">
      {rows
        .filter(([, v]) => v !== '')
        .map(([k, v]) => (
          <div>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

function Actions({ session, meta, reload }: { session: Session; meta: KeyMetadata; reload: () => void }) {
  const { kms, may } = session;
  const [error, setError] = useState<unknown>(undefined);
  const [notice, setNotice] = useState('');
  const [description, setDescription] = useState(meta.description);
  const [days, setDays] = useState('7');
  const [confirm, setConfirm] = useState('');
  // ScheduleKeyDeletion refuses a key used within the server's recent-use window (KEY_RECENTLY_USED) unless forced.
  const [force, setForce] = useState(false);
  const keyId = meta.keyId;
  const [aliases] = useLoad(async () => (await kms.listAliases({ keyId })).aliases.map((a) => a.aliasName), [keyId]);
  const confirmed = confirm === keyId || (aliases ?? []).includes(confirm);
  const run = (what: string, action: () => Promise<unknown>) => () => {
    setError(undefined);
    setNotice('');
    action().then(
      () => {
        setNotice(`${what}: done`);
        setConfirm('');
        reload();
      },
      (e: unknown) => {
        setError(e);
      },
    );
  };
  const state = meta.keyState;
  return (
    <section aria-labelledby="actions-h">
      <h2 id="actions-h">Actions</h2>
      <div class="actions">
        {state === 'Disabled' && may('EnableKey') && (
          <button type="button" onClick={run('Enable', () => kms.enableKey({ keyId }))}>
            Enable key
          </button>
        )}
        {state === 'Enabled' && may('DisableKey') && (
          <button type="button" onClick={run('Disable', () => kms.disableKey({ keyId }))}>
            Disable key
          </button>
        )}
        {state === 'Enabled' && may('RotateKeyOnDemand') && (
          <button type="button" onClick={run('Rotate', () => kms.rotateKeyOnDemand({ keyId }))}>
            Rotate now
          </button>
        )}
        {state === 'PendingDeletion' && may('CancelKeyDeletion') && (
          <button type="button" onClick={run('Cancel deletion', () => kms.cancelKeyDeletion({ keyId }))}>
            Cancel deletion
          </button>
        )}
      </div>
      {may('UpdateKeyDescription') && state !== 'Destroyed' && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            run('Description', () => kms.updateKeyDescription({ keyId, description }))();
          }}
        >
          <Field label="Description">
            <input
              name="description"
              value={description}
              onInput={(e) => {
                setDescription(e.currentTarget.value);
              }}
            />
          </Field>
          <button type="submit">Update description</button>
        </form>
      )}
      {may('ScheduleKeyDeletion') && (state === 'Enabled' || state === 'Disabled' || state === 'PendingImport') && (
        <form
          class="inline danger-zone"
          onSubmit={(e) => {
            e.preventDefault();
            if (!confirmed) {
              setError(new Error(`type the key id ${keyId} or one of its aliases to confirm`));
              return;
            }
            run('Schedule deletion', () =>
              kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: Number(days), ...(force && { force: true }) }),
            )();
          }}
        >
          <Field label="Deletion window (days)">
            <input
              name="days"
              type="number"
              min="1"
              max="30"
              value={days}
              onInput={(e) => {
                setDays(e.currentTarget.value);
              }}
            />
          </Field>
          <Field label="Type the key id or an alias to confirm deletion">
            <input
              name="confirm"
              autoComplete="off"
              value={confirm}
              onInput={(e) => {
                setConfirm(e.currentTarget.value);
              }}
            />
          </Field>
          <label class="check">
            <input
              type="checkbox"
              name="force"
              checked={force}
              onChange={(e) => {
                setForce(e.currentTarget.checked);
              }}
            />{' '}
            Schedule even if the key was used recently (force)
          </label>
          <button type="submit" class="danger" disabled={!confirmed}>
            Schedule deletion
          </button>
        </form>
      )}
      {notice !== '' && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

export function KeyDetailPage({ session, keyId }: { session: Session; keyId: string }) {
  const [meta, error, reload] = useLoad(async () => (await session.kms.describeKey({ keyId })).keyMetadata, [keyId]);
  return (
    <section>
      <p>
        <a href="#/keys">← Keys</a>
      </p>
      <PageTitle>Key {keyId}</PageTitle>
      <ErrorBox error={error} />
      {meta && (
        <>
          <p>
            State: <StateBadge state={meta.keyState} />{' '}
            {session.may('Encrypt') && meta.keyState === 'Enabled' && (
              <a href={`#/try?key=${encodeURIComponent(meta.keyId)}`}>Try it</a>
            )}
          </p>
          <div class="columns">
            <div>
              <Metadata meta={meta} />
            </div>
            <div>
              <Actions key={`${meta.keyState}-${meta.description}`} session={session} meta={meta} reload={reload} />
            </div>
          </div>
          <Versions session={session} keyId={meta.keyId} version={meta.currentKeyVersion} />
          <AliasesAndTags session={session} meta={meta} />
          <PublicKey session={session} meta={meta} />
          <CertificateChain session={session} meta={meta} />
          <Attestation key={meta.keyState} session={session} meta={meta} />
          <PolicyAndGrants session={session} keyId={meta.keyId} />
          <Usage session={session} keyId={meta.keyId} />
        </>
      )}
    </section>
  );
}
