// Keys: one ListKeys request per page. Filters (state, spec, usage, keyring, tag), search (alias prefix or key id)
// and sort (creation or key id, either way) are the server's, so they hold over the whole store, and paging follows
// the server's markers; `includeMetadata` brings each key's metadata, aliases and last rotation in the same call.
import { KEY_SPECS, KEY_STATES, KEY_USAGES, type KeyListEntry, type ListKeysRequest } from '@custos/client';
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { ErrorBox, Field, PageTitle, StateBadge, useLoad, when } from '../ui.js';

const PAGE_SIZE = 25;

type SortKey = NonNullable<ListKeysRequest['sortBy']>;

/** The columns; those with a `sort` are sorted by the server. */
const COLUMNS: readonly { label: string; sort?: SortKey }[] = [
  { label: 'Alias' },
  { label: 'Key id', sort: 'keyId' },
  { label: 'Spec' },
  { label: 'Usage' },
  { label: 'State' },
  { label: 'Protection' },
  { label: 'Created', sort: 'created' },
  { label: 'Last rotated' },
];

interface Filters {
  readonly search: string;
  readonly applicationId: string;
  readonly state: string;
  readonly spec: string;
  readonly usage: string;
}

const NO_FILTERS: Filters = { search: '', applicationId: '', state: '', spec: '', usage: '' };

/**
 * The search box as ListKeys fields: `key=value` or `tag:key` is a tag; an ARN's key id, a key id or an alias
 * (prefix, with or without `alias/`) is `search`.
 */
function searchFields(text: string): Partial<ListKeysRequest> {
  if (text === '') return {};
  const tag = /^tag:(.+)$/.exec(text)?.[1] ?? (text.includes('=') ? text : undefined);
  if (tag !== undefined) {
    const at = tag.indexOf('=');
    return at < 0 ? { withTagKey: tag } : { withTagKey: tag.slice(0, at), withTagValue: tag.slice(at + 1) };
  }
  const arn = /^arn:[^:]+:kms:[^:]*:[^:]*:(key\/.+|alias\/.+)$/.exec(text)?.[1];
  const value = arn?.startsWith('key/') ? arn.slice(4) : (arn ?? text);
  return { search: value };
}

function request(filters: Filters, sort: { key: SortKey; up: boolean }, marker: string | undefined): ListKeysRequest {
  return {
    limit: PAGE_SIZE,
    includeMetadata: true,
    sortBy: sort.key,
    sortOrder: sort.up ? 'asc' : 'desc',
    ...(marker !== undefined && { marker }),
    ...(filters.applicationId !== '' && { applicationId: filters.applicationId }),
    ...(filters.state !== '' && { keyStates: [filters.state as (typeof KEY_STATES)[number]] }),
    ...(filters.spec !== '' && { keySpecs: [filters.spec as (typeof KEY_SPECS)[number]] }),
    ...(filters.usage !== '' && { keyUsages: [filters.usage as (typeof KEY_USAGES)[number]] }),
    ...searchFields(filters.search),
  };
}

function Choice(props: {
  label: string;
  name: string;
  value: string;
  options: readonly string[];
  set: (v: string) => void;
}) {
  return (
    <Field label={props.label}>
      <select
        name={props.name}
        value={props.value}
        onChange={(e) => {
          props.set(e.currentTarget.value);
        }}
      >
        <option value="">any</option>
        {props.options.map((o) => (
          <option value={o}>{o}</option>
        ))}
      </select>
    </Field>
  );
}

export function KeysPage({ session }: { session: Session }) {
  const [markers, setMarkers] = useState<string[]>([]); // the marker of each page shown so far
  const [search, setSearch] = useState('');
  const [filters, setFiltersNow] = useState<Filters>(NO_FILTERS);
  const [sort, setSortNow] = useState<{ key: SortKey; up: boolean }>({ key: 'created', up: false });
  const marker = markers[markers.length - 1];
  // A marker belongs to one listing: any change of filter or sort starts again at page 1.
  const setFilters = (change: Partial<Filters>) => {
    setMarkers([]);
    setFiltersNow({ ...filters, ...change });
  };
  const setSort = (next: { key: SortKey; up: boolean }) => {
    setMarkers([]);
    setSortNow(next);
  };
  const [page, error] = useLoad(async () => {
    const listed = await session.kms.listKeys(request(filters, sort, marker));
    return { keys: listed.keys, nextMarker: listed.truncated ? listed.nextMarker : undefined };
  }, [marker, filters, sort]);
  const keys: readonly KeyListEntry[] = page?.keys ?? [];

  return (
    <section>
      <PageTitle>Keys</PageTitle>
      <form
        class="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({ search: search.trim() });
        }}
      >
        <Field label="Search" hint="alias (prefix), key id, ARN, or tag key=value / tag:key">
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
            value={filters.applicationId}
            onChange={(e) => {
              setFilters({ applicationId: e.currentTarget.value.trim() });
            }}
          />
        </Field>
        <Choice
          label="State"
          name="state"
          value={filters.state}
          options={KEY_STATES}
          set={(state) => {
            setFilters({ state });
          }}
        />
        <Choice
          label="Spec"
          name="spec"
          value={filters.spec}
          options={KEY_SPECS}
          set={(spec) => {
            setFilters({ spec });
          }}
        />
        <Choice
          label="Usage"
          name="usage"
          value={filters.usage}
          options={KEY_USAGES}
          set={(usage) => {
            setFilters({ usage });
          }}
        />
      </form>
      <ErrorBox error={error} />
      <div class="table-wrap">
        <table>
          <caption>
            {page === undefined
              ? 'Loading keys…'
              : `${keys.length} key(s) on page ${markers.length + 1}, sorted by ${sort.key === 'created' ? 'creation date' : 'key id'} ${sort.up ? 'ascending' : 'descending'}`}
          </caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => {
                const sortKey = c.sort;
                if (sortKey === undefined) return <th scope="col">{c.label}</th>;
                const active = sort.key === sortKey;
                return (
                  <th scope="col" aria-sort={active ? (sort.up ? 'ascending' : 'descending') : 'none'}>
                    <button
                      type="button"
                      class="link"
                      onClick={() => {
                        setSort({ key: sortKey, up: active ? !sort.up : true });
                      }}
                    >
                      {c.label}
                      <span aria-hidden="true">{active ? (sort.up ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr>
                <td>{(k.aliasNames ?? []).join(', ')}</td>
                <td>
                  <a href={`#/keys/${encodeURIComponent(k.keyId)}`}>{k.keyId}</a>
                </td>
                <td>{k.metadata?.keySpec}</td>
                <td>{k.metadata?.keyUsage}</td>
                <td>{k.metadata && <StateBadge state={k.metadata.keyState} />}</td>
                <td>{k.metadata?.protectionLevel}</td>
                <td>{when(k.metadata?.creationDate)}</td>
                <td>{when(k.lastRotationDate)}</td>
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
