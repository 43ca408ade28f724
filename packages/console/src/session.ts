// The signed-in session: the bearer token (sessionStorage only: never a URL, never localStorage), the RemoteKms that
// sends it (same origin, the public REST API), and the caller as GET /v1/whoami describes it.
import { RemoteKms, type WhoAmIResponse } from '@custos/client';

const TOKEN_KEY = 'custos.console.token';

export interface Session {
  readonly kms: RemoteKms;
  readonly me: WhoAmIResponse;
  /** A raw same-origin GET with the token (/metrics, /v1/sys/seal-status): text. */
  readonly getText: (path: string) => Promise<string>;
  /** Whether the caller's roles permit the operation (wire name, e.g. `DisableKey`). */
  readonly may: (operation: string) => boolean;
}

function sessionFor(token: string, me: WhoAmIResponse, kms: RemoteKms): Session {
  const allowed = new Set(me.operations);
  return {
    kms,
    me,
    may: (operation) => allowed.has(operation),
    getText: async (path) => {
      const reply = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
      if (!reply.ok) throw new Error(`${path}: HTTP ${reply.status}`);
      return reply.text();
    },
  };
}

/** Signs in with `token`: whoami must answer, else the KmsError (AUTHENTICATION_FAILED, ...) is thrown. */
export async function signIn(token: string): Promise<Session> {
  const kms = new RemoteKms({ endpoint: window.location.origin, token: token.trim(), retries: 0 });
  const me = await kms.whoAmI({});
  sessionStorage.setItem(TOKEN_KEY, token.trim());
  return sessionFor(token.trim(), me, kms);
}

/** The session kept in this tab, if its token still works. */
export async function resume(): Promise<Session | undefined> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token === null) return undefined;
  try {
    return await signIn(token);
  } catch {
    sessionStorage.removeItem(TOKEN_KEY);
    return undefined;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
