// Overview: keys by state and requests since start by outcome (GET /metrics, for callers with the monitor right),
// requests and errors over the last hour (the newest audit records), seal status and root of trust
// (GET /v1/sys/seal-status), and the server's version and node (GET /v1/whoami).
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { ErrorBox, PageTitle, useLoad } from '../ui.js';

const HOUR_MS = 3_600_000;
const AUDIT_WINDOW = 1000;

/** Sums of a Prometheus text sample by one label: `{ Enabled: 3, ... }`. */
function byLabel(text: string, metric: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  const re = new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) {
    const value = new RegExp(`${label}="([^"]*)"`).exec(m[1] ?? '')?.[1];
    if (value !== undefined) out[value] = (out[value] ?? 0) + Number(m[2]);
  }
  return out;
}

function Figures({ title, figures }: { title: string; figures: [string, string | number][] }) {
  // aria-labelledby takes a list of ids separated by spaces: the id has none.
  const id = `${title.toLowerCase().replace(/\W+/g, '-')}-h`;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <dl class="meta">
        {figures.map(([k, v]) => (
          <div>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function OverviewPage({ session }: { session: Session }) {
  const [now] = useState(() => Date.now());
  const [seal, sealError] = useLoad(
    async () => JSON.parse(await session.getText('/v1/sys/seal-status')) as { sealed: boolean; rootOfTrust: string },
    [],
  );
  const [metrics] = useLoad(
    async () => (session.me.access.includes('monitor') ? session.getText('/metrics') : undefined),
    [],
  );
  const [hour, hourError] = useLoad(async () => {
    if (!session.may('ListAuditRecords')) return undefined;
    const { records } = await session.kms.listAuditRecords({ last: AUDIT_WINDOW });
    const recent = records.filter((r) => r.time.getTime() >= now - HOUR_MS);
    return {
      requests: recent.length,
      errors: recent.filter((r) => r.outcome !== 'allowed').length,
      capped: recent.length === records.length && records.length === AUDIT_WINDOW,
    };
  }, []);
  const keys = metrics ? byLabel(metrics, 'custos_keys', 'state') : undefined;
  const outcomes = metrics ? byLabel(metrics, 'custos_requests_total', 'outcome') : undefined;
  const total = outcomes ? Object.values(outcomes).reduce((a, b) => a + b, 0) : 0;
  const { server } = session.me;
  return (
    <section>
      <PageTitle>Overview</PageTitle>
      <ErrorBox error={sealError ?? hourError} />
      <div class="cards">
        <Figures
          title="Server"
          figures={[
            ['Version', server.version],
            ['Node', server.node],
            ['Seal', seal ? (seal.sealed ? 'sealed ✕' : 'unsealed ✓') : '…'],
            ['Root of trust', seal?.rootOfTrust ?? '…'],
          ]}
        />
        {keys && <Figures title="Keys by state" figures={Object.entries(keys)} />}
        {hour && (
          <Figures
            title="Last hour"
            figures={[
              ['Requests', `${hour.capped ? '≥ ' : ''}${hour.requests} (${(hour.requests / 60).toFixed(1)}/min)`],
              ['Errors and denials', hour.errors],
              ['Error rate', hour.requests === 0 ? '0%' : `${((100 * hour.errors) / hour.requests).toFixed(1)}%`],
            ]}
          />
        )}
        {outcomes && (
          <Figures
            title="Since start"
            figures={[
              ['Requests', total],
              ['Errors', total - (outcomes.ok ?? 0)],
            ]}
          />
        )}
      </div>
    </section>
  );
}
