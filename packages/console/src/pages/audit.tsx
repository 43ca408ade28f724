// Audit: the newest records (ListAuditRecords, by key on the server; principal, operation, outcome and time range
// filter what was loaded), live follow (the API's follow cursor: one audited start, then unaudited polls), the hash
// chain's verification status (VerifyAuditChain), and export: the records shown as JSON, or the verifiable export
// (ExportAuditRecords: stored records with hashes and signed checkpoints).
import type { AuditRecord } from '@custos/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { ErrorBox, Field, PageTitle, StateBadge, useLoad, when } from '../ui.js';

const LOADED = 500;
const FOLLOW_MS = 2000;

function download(name: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 1000);
}

export function AuditPage({ session, keyId: initialKey }: { session: Session; keyId: string }) {
  const { kms } = session;
  const [keyInput, setKeyInput] = useState(initialKey);
  const [keyId, setKeyId] = useState(initialKey);
  const [principal, setPrincipal] = useState('');
  const [operation, setOperation] = useState('');
  const [outcome, setOutcome] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [follow, setFollow] = useState(false);
  const [records, setRecords] = useState<AuditRecord[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [chain, chainError, reverify] = useLoad(
    async () => (session.may('VerifyAuditChain') ? kms.verifyAuditChain({}) : undefined),
    [],
  );
  const cursor = useRef<string | undefined>(undefined);
  const lastSeq = useRef(0);
  lastSeq.current = records[records.length - 1]?.seq ?? 0;

  useEffect(() => {
    setError(undefined);
    kms.listAuditRecords({ last: LOADED, ...(keyId !== '' && { keyId }) }).then((r) => {
      setRecords(r.records);
    }, setError);
  }, [keyId]);

  useEffect(() => {
    if (!follow) {
      cursor.current = undefined;
      return undefined;
    }
    let live = true;
    const poll = async () => {
      const after = lastSeq.current;
      const r = await kms.listAuditRecords({
        after,
        limit: 100,
        ...(keyId !== '' && { keyId }),
        ...(cursor.current === undefined ? { follow: true } : { followCursor: cursor.current }),
      });
      if (r.followCursor !== undefined) cursor.current = r.followCursor;
      if (live && r.records.length > 0) setRecords((old) => [...old, ...r.records].slice(-LOADED));
    };
    const timer = setInterval(() => void poll().catch(setError), FOLLOW_MS);
    void poll().catch(setError);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [follow, keyId]);

  const fromTime = from === '' ? -Infinity : new Date(from).getTime();
  const toTime = to === '' ? Infinity : new Date(to).getTime();
  const shown = records
    .filter((r) => principal === '' || r.principal.includes(principal))
    .filter((r) => operation === '' || r.operation.toLowerCase().includes(operation.toLowerCase()))
    .filter((r) => outcome === '' || r.outcome === outcome)
    .filter((r) => r.time.getTime() >= fromTime && r.time.getTime() <= toTime)
    .reverse();

  return (
    <section>
      <PageTitle>Audit</PageTitle>
      <p role="status" data-testid="chain-status">
        {chain === undefined
          ? chainError
            ? 'Chain: not verified'
            : 'Chain: verifying…'
          : chain.ok
            ? `Chain verified ✓ (${chain.count ?? 0} records)`
            : `Chain BROKEN ✕ at record ${chain.brokenAt ?? '?'}`}{' '}
        <button type="button" class="secondary" onClick={reverify}>
          Verify again
        </button>
      </p>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setKeyId(keyInput.trim());
        }}
      >
        <Field label="Key">
          <input
            name="keyId"
            value={keyInput}
            onInput={(e) => {
              setKeyInput(e.currentTarget.value);
            }}
          />
        </Field>
        <button type="submit">Load</button>
        <Field label="Principal">
          <input
            name="principal"
            value={principal}
            onInput={(e) => {
              setPrincipal(e.currentTarget.value);
            }}
          />
        </Field>
        <Field label="Operation">
          <input
            name="operation"
            value={operation}
            onInput={(e) => {
              setOperation(e.currentTarget.value);
            }}
          />
        </Field>
        <Field label="Outcome">
          <select
            name="outcome"
            value={outcome}
            onChange={(e) => {
              setOutcome(e.currentTarget.value);
            }}
          >
            <option value="">any</option>
            <option value="allowed">allowed</option>
            <option value="denied">denied</option>
            <option value="failed">failed</option>
          </select>
        </Field>
        <Field label="From">
          <input
            name="from"
            type="datetime-local"
            value={from}
            onInput={(e) => {
              setFrom(e.currentTarget.value);
            }}
          />
        </Field>
        <Field label="To">
          <input
            name="to"
            type="datetime-local"
            value={to}
            onInput={(e) => {
              setTo(e.currentTarget.value);
            }}
          />
        </Field>
        <label class="check">
          <input
            type="checkbox"
            name="follow"
            checked={follow}
            onChange={(e) => {
              setFollow(e.currentTarget.checked);
            }}
          />
          Live follow
        </label>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            download('custos-audit.json', shown);
          }}
        >
          Export shown (JSON)
        </button>
        {session.may('ExportAuditRecords') && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              kms.exportAuditRecords({ before: new Date() }).then((r) => {
                download('custos-audit-export.json', r);
              }, setError);
            }}
          >
            Export verifiable
          </button>
        )}
      </form>
      <ErrorBox error={error} />
      <div class="table-wrap">
        <table>
          <caption>{`${shown.length} of the ${records.length} newest records`}</caption>
          <thead>
            <tr>
              <th scope="col">Seq</th>
              <th scope="col">Time</th>
              <th scope="col">Principal</th>
              <th scope="col">Operation</th>
              <th scope="col">Key</th>
              <th scope="col">Outcome</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr>
                <td>{r.seq}</td>
                <td>{when(r.time)}</td>
                <td>{r.principal}</td>
                <td>{r.operation}</td>
                <td>{r.keyId !== null ? <a href={`#/keys/${encodeURIComponent(r.keyId)}`}>{r.keyId}</a> : ''}</td>
                <td>
                  <StateBadge state={r.outcome} />
                </td>
                <td>{r.errorCode ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
