// A fake HTTP responder for RemoteKms unit tests: records each request and answers with a scripted handler.
// The real server is exercised by the contract suite (packages/custos/test/contract/remote.test.ts).

export interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly redirect: RequestRedirect | undefined;
}

export type Handler = (request: RecordedRequest, index: number) => Response | Promise<Response>;

export interface FakeFetch {
  readonly fetch: typeof fetch;
  readonly requests: RecordedRequest[];
}

/** A fetch that records requests and answers with `handler` (called with the 0-based request number). */
export function fakeFetch(handler: Handler): FakeFetch {
  const requests: RecordedRequest[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request: RecordedRequest = {
      method: init?.method ?? 'GET',
      url: new URL(input instanceof Request ? input.url : input),
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
      signal: init?.signal ?? undefined,
      redirect: init?.redirect,
    };
    requests.push(request);
    return handler(request, requests.length - 1);
  };
  return { fetch: fetchImpl, requests };
}

/** A JSON reply. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A Custos error reply `{ error: { code, message, requestId } }`. */
export function errorReply(status: number, code: string, message: string, requestId?: string): Response {
  return json({ error: { code, message, ...(requestId !== undefined ? { requestId } : {}) } }, status);
}

/** What undici throws when the connection fails. */
export function networkError(code = 'ECONNRESET'): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`socket error ${code}`), { code }) });
}

/** A reply that never comes: rejects with the signal's reason once the request is aborted (timeout). */
export function never(request: RecordedRequest): Promise<Response> {
  return new Promise((_, reject) => {
    const signal = request.signal;
    if (!signal) return;
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener(
      'abort',
      () => {
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}
