// The console's entry: sign-in, the shell (navigation, who is signed in, sign-out) and the hash router
// (#/keys, #/keys/<id>, #/create, #/try, #/audit, #/access, #/overview, #/keyrings). Pages show only what the
// caller's roles permit (GET /v1/whoami); a caller with no role gets a page that says so.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './style.css';
import { installBufferShim } from './buffer-shim.js';
import { resume, signIn, signOut, type Session } from './session.js';
import { ErrorBox, Field, PageTitle } from './ui.js';
import { KeysPage } from './pages/keys.js';
import { KeyDetailPage } from './pages/key-detail.js';
import { CreateKeyPage } from './pages/create-key.js';
import { TryItPage } from './pages/try-it.js';
import { AuditPage } from './pages/audit.js';
import { AccessPage } from './pages/access.js';
import { OverviewPage } from './pages/overview.js';
import { KeyringsPage } from './pages/keyrings.js';

/** The navigation: each page with the operation that decides whether the caller sees it. */
const NAV = [
  { path: 'overview', label: 'Overview', needs: 'DescribeKey' },
  { path: 'keys', label: 'Keys', needs: 'ListKeys' },
  { path: 'create', label: 'Create key', needs: 'CreateKey' },
  { path: 'try', label: 'Try it', needs: 'Encrypt' },
  { path: 'audit', label: 'Audit', needs: 'ListAuditRecords' },
  { path: 'access', label: 'Access', needs: 'ListTokens' },
  { path: 'keyrings', label: 'Keyrings', needs: 'ListKeyringPolicies' },
] as const;

function currentRoute(): string {
  return window.location.hash.replace(/^#\/?/, '') || 'keys';
}

function SignIn({ onSession }: { onSession: (s: Session) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  return (
    <main class="signin">
      <PageTitle>Custos console</PageTitle>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(undefined);
          signIn(token).then(onSession, (e: unknown) => {
            setError(e);
            setBusy(false);
          });
        }}
      >
        <Field label="API token" hint="Kept in this tab only (sessionStorage) and sent as a bearer token.">
          <input
            type="password"
            name="token"
            autoComplete="off"
            required
            value={token}
            onInput={(e) => {
              setToken(e.currentTarget.value);
            }}
          />
        </Field>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <ErrorBox error={error} />
    </main>
  );
}

function NoRole({ session }: { session: Session }) {
  return (
    <section>
      <PageTitle>No role</PageTitle>
      <p role="status">
        You are signed in as <strong>{session.me.principal}</strong>, but this token has no role. It may still use what
        key policies and grants give it, but the console has nothing to show. Ask an administrator for a token with a
        role (admin, key-admin, key-user or monitor).
      </p>
    </section>
  );
}

function NotPermitted({ needs }: { needs: string }) {
  return (
    <section>
      <PageTitle>Not permitted</PageTitle>
      <p role="status">Your roles do not permit {needs}, which this page needs.</p>
    </section>
  );
}

function Page({ session, route }: { session: Session; route: string }) {
  if (session.me.roles.length === 0) return <NoRole session={session} />;
  const [head = 'keys', ...rest] = route.split('/');
  const [name = '', query = ''] = head.split('?');
  const params = new URLSearchParams(query);
  // Pages of a key are keyed by it: moving to another key's page (the same component) starts it afresh, with no
  // filter, draft, notice or attestation of the previous key.
  const keyId = name === 'keys' ? decodeURIComponent(rest.join('/')) : (params.get('key') ?? '');
  if (name === 'keys' && rest.length > 0) return <KeyDetailPage key={keyId} session={session} keyId={keyId} />;
  const entry = NAV.find((n) => n.path === name);
  if (entry && !session.may(entry.needs)) return <NotPermitted needs={entry.needs} />;
  switch (name) {
    case 'overview':
      return <OverviewPage session={session} />;
    case 'create':
      return <CreateKeyPage session={session} />;
    case 'try':
      return <TryItPage key={keyId} session={session} keyId={keyId} />;
    case 'audit':
      return <AuditPage key={keyId} session={session} keyId={keyId} />;
    case 'access':
      return <AccessPage session={session} />;
    case 'keyrings':
      return <KeyringsPage session={session} />;
    default:
      return <KeysPage session={session} />;
  }
}

function App() {
  const [session, setSession] = useState<Session | undefined>(undefined);
  const [resuming, setResuming] = useState(true);
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    void resume().then((s) => {
      setSession(s);
      setResuming(false);
    });
    const onHash = () => {
      setRoute(currentRoute());
      requestAnimationFrame(() => document.getElementById('page-title')?.focus());
    };
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('hashchange', onHash);
    };
  }, []);
  if (resuming) return <p role="status">Loading…</p>;
  if (!session) return <SignIn onSession={setSession} />;
  const active = route.split(/[/?]/)[0];
  return (
    <div class="shell">
      <header>
        <a class="brand" href="#/keys">
          Custos
        </a>
        <nav aria-label="Main">
          {NAV.filter((n) => session.may(n.needs)).map((n) => (
            <a href={`#/${n.path}`} aria-current={active === n.path ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <div class="me">
          <span data-testid="whoami">
            {session.me.principal} ({session.me.roles.join(', ') || 'no role'})
          </span>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              signOut();
              setSession(undefined);
              window.location.hash = '#/keys';
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main>
        <Page session={session} route={route} />
      </main>
    </div>
  );
}

installBufferShim();
const root = document.getElementById('app');
if (root) render(<App />, root);
