// Create key: usage first, then the specs the key-spec table allows for it; alias, description, tags, constraints
// (allowed algorithms, among those of the chosen spec and usage; most uses; not after) and the protection level.
// CreateKey, then CreateAlias when an alias is given.
import type { Algorithm, KeySpec, KeyUsage, ProtectionLevel } from '@custos/client';
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { algorithmsFor, specsFor, USAGES } from '../key-spec-choices.js';
import { ErrorBox, Field, PageTitle } from '../ui.js';

function parseTags(text: string): { tagKey: string; tagValue: string }[] {
  return text
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => {
      const at = t.indexOf('=');
      return at < 0 ? { tagKey: t, tagValue: '' } : { tagKey: t.slice(0, at), tagValue: t.slice(at + 1) };
    });
}

export function CreateKeyPage({ session }: { session: Session }) {
  const [usage, setUsage] = useState<KeyUsage>('ENCRYPT_DECRYPT');
  const [spec, setSpec] = useState<KeySpec>('SYMMETRIC_DEFAULT');
  const [alias, setAlias] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const [maxUses, setMaxUses] = useState('');
  const [notAfter, setNotAfter] = useState('');
  const [allowed, setAllowed] = useState<readonly Algorithm[]>([]);
  const [protection, setProtection] = useState<'' | ProtectionLevel>('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const specs = specsFor(usage);
  const algorithms = algorithmsFor(spec, usage);
  // Only the algorithms of the spec and usage now chosen count (a change of either drops the others).
  const chosen = allowed.filter((a) => algorithms.includes(a));
  return (
    <section>
      <PageTitle>Create key</PageTitle>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          const constraints = {
            ...(chosen.length > 0 && { allowedAlgorithms: [...chosen] }),
            ...(maxUses !== '' && { maxUses: Number(maxUses) }),
            ...(notAfter !== '' && { notAfter: new Date(notAfter) }),
          };
          const parsedTags = parseTags(tags);
          const create = async () => {
            const { keyMetadata } = await session.kms.createKey({
              keyUsage: usage,
              keySpec: spec,
              description,
              ...(parsedTags.length > 0 && { tags: parsedTags }),
              ...(Object.keys(constraints).length > 0 && { usageConstraints: constraints }),
              ...(protection !== '' && { protectionLevel: protection }),
            });
            if (alias.trim() !== '') {
              await session.kms.createAlias({ aliasName: alias.trim(), targetKeyId: keyMetadata.keyId });
            }
            return keyMetadata.keyId;
          };
          create().then(
            (keyId) => {
              window.location.hash = `#/keys/${encodeURIComponent(keyId)}`;
            },
            (err: unknown) => {
              setError(err);
              setBusy(false);
            },
          );
        }}
      >
        <Field label="Key usage">
          <select
            name="keyUsage"
            value={usage}
            onChange={(e) => {
              const next = e.currentTarget.value as KeyUsage;
              setUsage(next);
              if (!specsFor(next).includes(spec)) setSpec(specsFor(next)[0] ?? 'SYMMETRIC_DEFAULT');
            }}
          >
            {USAGES.map((u) => (
              <option value={u}>{u}</option>
            ))}
          </select>
        </Field>
        <Field label="Key spec" hint="only the specs that allow the chosen usage">
          <select
            name="keySpec"
            value={spec}
            onChange={(e) => {
              setSpec(e.currentTarget.value as KeySpec);
            }}
          >
            {specs.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label="Alias" hint="alias/<name>, optional">
          <input
            name="alias"
            placeholder="alias/orders"
            value={alias}
            onInput={(e) => {
              setAlias(e.currentTarget.value);
            }}
          />
        </Field>
        <Field label="Description">
          <input
            name="description"
            value={description}
            onInput={(e) => {
              setDescription(e.currentTarget.value);
            }}
          />
        </Field>
        <Field label="Tags" hint="key=value, separated by commas or lines">
          <textarea
            name="tags"
            rows={2}
            value={tags}
            onInput={(e) => {
              setTags(e.currentTarget.value);
            }}
          />
        </Field>
        <fieldset>
          <legend>Constraints (optional)</legend>
          {algorithms.length > 1 && (
            <fieldset>
              <legend>Allowed algorithms (none checked: any of them)</legend>
              {algorithms.map((a) => (
                <label class="check">
                  <input
                    type="checkbox"
                    name="allowedAlgorithms"
                    value={a}
                    checked={chosen.includes(a)}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      setAllowed(on ? [...chosen, a] : chosen.filter((x) => x !== a));
                    }}
                  />{' '}
                  {a}
                </label>
              ))}
            </fieldset>
          )}
          <Field label="Most uses">
            <input
              name="maxUses"
              type="number"
              min="1"
              value={maxUses}
              onInput={(e) => {
                setMaxUses(e.currentTarget.value);
              }}
            />
          </Field>
          <Field label="Not after">
            <input
              name="notAfter"
              type="datetime-local"
              value={notAfter}
              onInput={(e) => {
                setNotAfter(e.currentTarget.value);
              }}
            />
          </Field>
        </fieldset>
        <Field label="Protection level" hint="HSM needs a PKCS#11 root of trust">
          <select
            name="protectionLevel"
            value={protection}
            onChange={(e) => {
              setProtection(e.currentTarget.value as '' | ProtectionLevel);
            }}
          >
            <option value="">server default</option>
            <option value="SOFTWARE">SOFTWARE</option>
            <option value="HSM">HSM</option>
          </select>
        </Field>
        <button type="submit" disabled={busy}>
          Create key
        </button>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}
