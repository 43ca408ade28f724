// RemoteKms: the Kms interface over the native REST API, every method generated from the contract's ROUTES and
// OPERATIONS tables (the ones the server registers its routes from). Must not import anything but @custos/contract.
import {
  InternalError,
  KEY_PIN_HEADER,
  KmsError,
  OPERATIONS,
  UnavailableError,
  jwkFacade,
  ValidationError,
  type Caller,
  type JwkFacade,
  type Kms,
  type OperationMethod,
} from '@custos/contract';
import { buildCall } from './request.js';
import { decodeReply, type HttpReply } from './response.js';
import { RETRYABLE_STATUSES, backoffDelay, isSafeToRepeat } from './retry.js';

export interface RemoteKmsOptions {
  /** Base URL of a Custos server, e.g. `http://127.0.0.1:7300` or `https://kms.example.com/custos`. */
  readonly endpoint: string;
  /** A bearer token (`custos token create`, or `Kms.createToken`): it alone decides who the caller is. */
  readonly token: string;
  /** Time allowed for each try, reply body included (ms). Default 30 000. */
  readonly timeoutMs?: number;
  /** How many times an operation safe to repeat is sent again after a network failure, a timeout or a 502/503/504. Default 2. */
  readonly retries?: number;
  /** Backoff before the first retry (ms, doubled each retry, full jitter). Default 100. */
  readonly retryBaseDelayMs?: number;
  /** Upper bound of one backoff wait (ms). Default 2000. */
  readonly retryMaxDelayMs?: number;
  /** The fetch to use; default the global one. Tests inject a fake here. */
  readonly fetch?: typeof fetch;
  /**
   * The PIN sent with every call (`X-Custos-Key-Pin`) whose caller gives none, for PIN-protected keys (the CLI's
   * `--pin-file`). A caller's `keyPin` wins. Printable ASCII.
   */
  readonly keyPin?: string;
}

const DEFAULTS = { timeoutMs: 30_000, retries: 2, retryBaseDelayMs: 100, retryMaxDelayMs: 2000 } as const;

/** Bearer tokens are visible ASCII (Custos issues `cst_` + base64url); anything else would corrupt the header. */
const TOKEN = /^[\x21-\x7e]+$/;

type OperationMethods = { [M in OperationMethod]: Kms[M] };

// The operation methods are generated onto the prototype (see the static block); this declaration gives them
// their types from the Kms interface. ROUTES is a Record over every operation, so none can be missing.
// The merge is the point (the class defines every member the interface declares) and the interface is empty because
// its members come from OperationMethods:
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface RemoteKms extends OperationMethods {}

/**
 * The Kms interface over HTTP: same methods, same results (`Uint8Array` bytes, `Date` dates) and same errors
 * (`instanceof` and `code` as with LocalKms; `requestId` set from the server's reply) as the in-process LocalKms.
 *
 * The caller is the token: the optional `caller` argument of each method contributes only its `requestId`
 * (sent as `x-request-id`, so the server's log lines and audit record carry it); its `principal` and `roles` are
 * ignored, because a client cannot choose its own identity. To act as another principal, use a RemoteKms
 * with that principal's token.
 *
 * A network failure, a timeout or a 502/503/504 reply raises UNAVAILABLE (`UnavailableError`) after
 * `retries` further tries with exponential backoff, for operations safe to repeat (`SAFE_TO_REPEAT`) only;
 * other operations fail at once, their outcome unknown. Any other error reply is never retried.
 *
 * @example
 * const kms = new RemoteKms({ endpoint: 'http://127.0.0.1:7300', token: process.env.CUSTOS_TOKEN! });
 * const { ciphertextBlob } = await kms.encrypt({ keyId: 'alias/orders', plaintext: new TextEncoder().encode('hi') });
 * const { plaintext } = await kms.decrypt({ ciphertextBlob }, { principal: 'ignored', roles: [], requestId: 'req-42' });
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class RemoteKms implements Kms {
  readonly #base: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #keyPin: string | undefined;
  #closed = false;
  /** The generic KMS seed's interface over this RemoteKms (keys as JWKs, JOSE signatures, compact JWE). */
  readonly jwk: JwkFacade = jwkFacade(this);

  constructor(options: RemoteKmsOptions) {
    this.#base = baseUrl(options.endpoint);
    if (typeof options.token !== 'string' || !TOKEN.test(options.token)) {
      throw new ValidationError('token must be a non-empty string of visible ASCII characters');
    }
    this.#token = options.token;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = positive('timeoutMs', options.timeoutMs ?? DEFAULTS.timeoutMs);
    this.#retries = count('retries', options.retries ?? DEFAULTS.retries);
    this.#baseDelayMs = count('retryBaseDelayMs', options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs);
    this.#maxDelayMs = count('retryMaxDelayMs', options.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs);
    this.#keyPin = options.keyPin === undefined ? undefined : checkedPin(options.keyPin);
  }

  static {
    for (const operation of Object.keys(OPERATIONS) as OperationMethod[]) {
      const method = {
        [operation](this: RemoteKms, input?: unknown, caller?: Caller): Promise<unknown> {
          return this.#invoke(operation, input, caller);
        },
      }[operation];
      Object.defineProperty(RemoteKms.prototype, operation, { value: method, writable: true, configurable: true });
    }
  }

  /** Nothing to release (fetch pools its own connections); calls made afterwards reject. */
  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  async #invoke(operation: OperationMethod, input: unknown, caller: Caller | undefined): Promise<unknown> {
    if (this.#closed) throw new InternalError('this RemoteKms is closed');
    const call = buildCall(operation, input);
    // An empty requestId gets a fresh one too: the header must not be empty.
    const requestId =
      caller?.requestId !== undefined && caller.requestId !== '' ? caller.requestId : globalThis.crypto.randomUUID();
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#token}`,
      accept: 'application/json',
      'x-request-id': requestId,
      ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
      // Key PINs: the PIN of a PIN-protected key, from the caller, else the default this RemoteKms was made with.
      ...keyPinHeader(caller?.keyPin ?? this.#keyPin),
    };
    const canRepeat = isSafeToRepeat(operation);
    const send = this.#fetch; // called unbound: some fetch implementations refuse a foreign `this`
    for (let attempt = 0; ; attempt += 1) {
      const last = !canRepeat || attempt >= this.#retries || this.#closed;
      let reply: HttpReply;
      let response: Response;
      try {
        response = await send(this.#base + call.path, {
          method: call.method,
          headers,
          ...(call.body !== undefined ? { body: call.body } : {}),
          // The API never redirects; following one would resend the bearer token and the body (plaintext) elsewhere.
          redirect: 'manual',
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        reply = {
          status: response.status,
          text: await response.text(),
          requestId: response.headers.get('x-request-id'),
        };
      } catch (cause) {
        if (last) throw this.#unreachable(operation, cause, requestId, canRepeat);
        await sleep(backoffDelay(attempt, this.#baseDelayMs, this.#maxDelayMs));
        continue;
      }
      if (RETRYABLE_STATUSES.has(reply.status) && !last) {
        await sleep(backoffDelay(attempt, this.#baseDelayMs, this.#maxDelayMs));
        continue;
      }
      const result = decodeReply(operation, reply, requestId);
      // Decoded: a 2xx reply. Its audit receipt, when the caller asked for receipts and the server sent one.
      const receipt = caller?.onReceipt && receiptOf(response);
      if (receipt) caller.onReceipt?.(receipt);
      return result;
    }
  }

  /** UNAVAILABLE for a try that got no reply: timed out, or the connection failed. */
  #unreachable(operation: OperationMethod, cause: unknown, requestId: string, canRepeat: boolean): KmsError {
    if (cause instanceof KmsError) return cause;
    const name = OPERATIONS[operation].name;
    const origin = new URL(this.#base).origin;
    const what =
      cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')
        ? `no reply from ${origin} within ${this.#timeoutMs} ms`
        : `could not reach ${origin} (${describe(cause)})`;
    const tries = this.#retries + 1;
    const outcome = canRepeat
      ? `after ${tries} ${tries === 1 ? 'try' : 'tries'}`
      : 'it may or may not have been carried out';
    const error = new UnavailableError(`${name}: ${what}; ${outcome}`, { cause });
    error.requestId = requestId;
    return error;
  }
}

/** A PIN must fit in a header: visible ASCII, as every PIN format is (contract schemas/key-pins.ts). */
function checkedPin(pin: string): string {
  if (!TOKEN.test(pin)) throw new ValidationError('a key PIN must be a non-empty string of visible ASCII characters');
  return pin;
}

/** The `X-Custos-Key-Pin` header of a call, or none. */
function keyPinHeader(pin: string | undefined): Record<string, string> {
  return pin === undefined ? {} : { [KEY_PIN_HEADER]: checkedPin(pin) };
}

/** The reply's `x-custos-receipt` header (an audit receipt), or undefined. */
function receiptOf(response: Response): string | undefined {
  return response.headers.get('x-custos-receipt') ?? undefined;
}

/** The endpoint without a trailing slash; http(s) only, no query or fragment. */
function baseUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ValidationError(`endpoint is not a URL: ${endpoint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ValidationError('endpoint must be an http: or https: URL');
  if (url.search || url.hash || url.username || url.password) {
    throw new ValidationError('endpoint must not have a query, a fragment or credentials');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new ValidationError(`${name} must be a positive number`);
  return value;
}

function count(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ValidationError(`${name} must be a non-negative integer`);
  return value;
}

/** The network error in a few words: fetch wraps it (`TypeError: fetch failed`, cause `ECONNREFUSED`). */
function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause as { code?: unknown; message?: unknown } | undefined;
  if (inner && typeof inner.code === 'string') return `${cause.message}: ${inner.code}`;
  if (inner && typeof inner.message === 'string') return `${cause.message}: ${inner.message}`;
  return cause.message;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
