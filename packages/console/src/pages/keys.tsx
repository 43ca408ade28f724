// Keys: a page of keys at a time (ListKeys markers, so it holds with any number of keys), each described
// (DescribeKey) with its aliases; search by id, alias or ARN goes straight to the key; the keyring filter is the
// API's (ListKeys applicationId); state, spec and usage filters, tag search and sorting apply to the page shown.
import type { KeyMetadata } from '@custos/client';
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { ErrorBox, Field, PageTitle, StateBadge, useLoad, when } from '../ui.js';

const PAGE_SIZE = 25;

interface Row {
  readonly meta: KeyMetadata;
  readonly aliases: readonly string[];
  readonly lastRotated: Date | undefined;
  readonly tags: readonly string[];
}

type SortKey = 'alias' | 'keyId' | 'keySpec' | 'keyUsage' | 'keyState' | 'protectionLevel' | 'created' | 'rotated';

async function rowOf(session: Session, keyId: string, withTags: boolean): Promise<Row> {
  const { kms } = session;
  const [described, aliases, rotations, tags] = await Promise.all([
    kms.describeKey({ keyId }),
    kms.listAliases({ keyId }).catch(() => ({ aliases: [] })),
    kms.listKeyRotations({ keyId }).catch(() => ({ rotations: [] })),
    withTags ? kms.listResourceTags({ keyId }).catch(() => ({ tags: [] })) : Promise.resolve({ tags: [] }),
  ]);
  const dates = rotations.rotations.map((r) => r.rotationDate).filter((d): d is Date => d !== undefined);
  return {
    meta: described.keyMetadata,
    aliases: aliases.aliases.map((a) => a.aliasName),
    lastRotated: dates.length > 0 ? new Date(Math.max(...dates.map((d) => d.getTime()))) : undefined,
    tags: tags.tags.map((t) => `${t.tagKey}=${t.tagValue}`),
  };
}

function sortValue(row: Row, key: SortKey): string {
  switch (key) {
    case 'alias':
      return row.aliases[0] ?? '\uffff';
    case 'created':
      return row.meta.creationDate.toISOString();
    case 'rotated':
      return row.lastRotated?.toISOString() ?? '';
    case 'keyId':
    case 'keySpec':
    case 'keyUsage':
    case 'keyState':
    case 'protectionLevel':
      return row.meta[key];
  }
}

const COLUMNS: readonly { key: SortKey; label: string }[] = [
  { key: 'alias', label: 'Alias' },
  { key: 'keyId', label: 'Key id' },
  { key: 'keySpec', label: 'Spec' },
  { key: 'keyUsage', label: 'Usage' },
  { key: 'keyState', label: 'State' },
  { key: 'protectionLevel', label: 'Protection' },
  { key: 'created', label: 'Created' },
  { key: 'rotated', label: 'Last rotated' },
];

export function KeysPage({ session }: { session: Session }) {
  const [markers, setMarkers] = useState<string[]>([]); // the marker of each page shown so far
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [applicationId, setApplicationId] = useState('');
  const [state, setState] = useState('');
  const [spec, setSpec] = useState('');
  const [usage, setUsage] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; up: boolean }>({ key: 'created', up: false });
  const marker = markers[markers.length - 1];
  const tagQuery = query.includes('=') || query.startsWith('tag:');
  const [page, error] = useLoad(async () => {
    if (query !== '' && !tagQuery) {
      // An id, alias/<name> or ARN: the key itself, however many keys there are.
      const row = await rowOf(session, query, false);
      return { rows: [row], nextMarker: undefined };
    }
    const listed = await session.kms.listKeys({
      limit: PAGE_SIZE,
      ...(marker !== undefined && { marker }),
      ...(applicationId !== '' && { applicationId }),
    });
    const rows = await Promise.all(listed.keys.map((k) => rowOf(session, k.keyId, tagQuery)));
    return { rows, nextMarker: listed.truncated ? listed.nextMarker : undefined };
  }, [marker, query, applicationId]);

  const tag = query.replace(/^tag:/, '');
  const rows = (page?.rows ?? [])
    .filter((r) => state === '' || r.meta.keyState === state)
    .filter((r) => spec === '' || r.meta.keySpec === spec)
    .filter((r) => usage === '' || r.meta.keyUsage === usage)
    .filter((r) => !tagQuery || r.tags.some((t) => t === tag || t.startsWith(`${tag}=`)))
    .sort((a, b) => sortValue(a, sort.key).localeCompare(sortValue(b, sort.key)) * (sort.up ? 1 : -1));
  const distinct = (f: (r: Row) => string) => [...new Set((page?.rows ?? []).map(f))].sort();

  return (
    <section>
      <PageTitle>Keys</PageTitle>
      <form
        class="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setMarkers([]);
          setQuery(search.trim());
        }}
      >
        <Field label="Search" hint="key id, alias/name, ARN, or tag key=value (this page)">
          <input
            type="search"
            name="search"
            value={search}
            onInput={(e) => {
              setSearch(e.currentTarget.value);
            }}
          />
        </Field>
        <button type="submit">Search</button>
        <Field label="Keyring (application id)">
          <input
            name="applicationId"
            value={applicationId}
            onChange={(e) => {
              setMarkers([]);
              setApplicationId(e.currentTarget.value.trim());
            }}
          />
        </Field>
        <Field label="State">
          <select
            name="state"
            value={state}
            onChange={(e) => {
              setState(e.currentTarget.value);
            }}
          >
            <option value="">any</option>
            {['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Destroyed'].map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label="Spec">
          <select
            name="spec"
            value={spec}
            onChange={(e) => {
              setSpec(e.currentTarget.value);
            }}
          >
            <option value="">any</option>
            {distinct((r) => r.meta.keySpec).map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label="Usage">
          <select
            name="usage"
            value={usage}
            onChange={(e) => {
              setUsage(e.currentTarget.value);
            }}
          >
            <option value="">any</option>
            {distinct((r) => r.meta.keyUsage).map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </Field>
      </form>
      <ErrorBox error={error} />
      <div class="table-wrap">
        <table>
          <caption>{page === undefined ? 'Loading keys…' : `${rows.length} key(s) on this page`}</caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th scope="col" aria-sort={sort.key === c.key ? (sort.up ? 'ascending' : 'descending') : 'none'}>
                  <button
                    type="button"
                    class="link"
                    onClick={() => {
                      setSort({ key: c.key, up: sort.key === c.key ? !sort.up : true });
                    }}
                  >
                    {c.label}
                    <span aria-hidden="true">{sort.key === c.key ? (sort.up ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{r.aliases.join(', ')}</td>
                <td>
                  <a href={`#/keys/${encodeURIComponent(r.meta.keyId)}`}>{r.meta.keyId}</a>
                </td>
                <td>{r.meta.keySpec}</td>
                <td>{r.meta.keyUsage}</td>
                <td>
                  <StateBadge state={r.meta.keyState} />
                </td>
                <td>{r.meta.protectionLevel}</td>
                <td>{when(r.meta.creationDate)}</td>
                <td>{when(r.lastRotated)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Pages">
        <button
          type="button"
          disabled={markers.length === 0}
          onClick={() => {
            setMarkers(markers.slice(0, -1));
          }}
        >
          Previous page
        </button>
        <span>Page {markers.length + 1}</span>
        <button
          type="button"
          disabled={page?.nextMarker === undefined}
          onClick={() => {
            if (page?.nextMarker !== undefined) setMarkers([...markers, page.nextMarker]);
          }}
        >
          Next page
        </button>
      </nav>
    </section>
  );
}
