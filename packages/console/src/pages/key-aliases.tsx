// Key detail's aliases and tags: listed as chips, each with a remove button, and forms to add one; every control only
// when the caller's roles permit its operation (CreateAlias, DeleteAlias, TagResource, UntagResource).
import type { KeyMetadata } from '@custos/client';
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { ErrorBox, Field, useLoad } from '../ui.js';

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
