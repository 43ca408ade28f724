// AWS Signature Version 4 verification of AWS protocol requests, in two steps: from the headers alone (before any
// body byte is read) parse the Authorization header, check what it signs, the date and the credential scope, and
// look up the access key; then recompute the signature with @smithy/signature-v4 over the signed headers and the
// raw body, and compare in constant time. Must not import service, store or keystore.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { KEY_PIN_HEADER, KmsError, type Caller } from '@custos/contract';
import { exposeSecret, type SecretBytes } from '../../core/secret-bytes.js';
import { AwsProtocolError } from './protocol-errors.js';

/** AWS accepts a request whose X-Amz-Date is within 15 minutes of its own clock (either way). */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const SERVICE = 'kms';
const ALGORITHM = 'AWS4-HMAC-SHA256';

/** The request as received: method, raw URL (path and query), headers (lower-case names), exact body bytes. */
export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
}

/** What an access key id stands for; UNAUTHENTICATED (any KmsError with that code) for unknown or revoked ids. */
export type AccessKeyLookup = (
  accessKeyId: string,
) => Promise<{ caller: Caller; secretAccessKey: SecretBytes; recordUse?: () => Promise<void> }>;

export interface SigV4Options {
  /** The region requests must be scoped to (the region of the key ARNs). */
  readonly region: string;
  readonly lookup: AccessKeyLookup;
  readonly now?: () => Date;
}

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** A request verified by its signature: who sent it, and what identifies this exact request. */
export interface VerifiedRequest {
  readonly caller: Caller;
  /** The request's signature (hex): two requests with the same signature are the same bytes, replayed. */
  readonly signature: string;
  /** When the signature stops being accepted: its X-Amz-Date plus the allowed clock skew. */
  readonly expiresAt: Date;
}

/**
 * A request whose headers passed every check that needs no body (Authorization, signed headers, date, scope, a
 * known access key): `verifyBody` finishes the check once the body is read. Holds the access key's secret until
 * `verifyBody` or `discard` (call one of them, whatever happens).
 */
export interface PendingSignature {
  verifyBody(body: Uint8Array): Promise<VerifiedRequest>;
  /** Wipes the secret without verifying (the request ended before its body was read). Idempotent. */
  discard(): void;
}

/** The request without its body: method, raw URL (path and query), headers (lower-case names). */
export type RequestHead = Omit<SignedRequest, 'body'>;

/**
 * The checks of a SigV4-signed request that need no body, and the access key's lookup; an AwsProtocolError named as
 * AWS names the failure (MissingAuthenticationTokenException, IncompleteSignatureException,
 * InvalidSignatureException, UnrecognizedClientException). A request that fails here need not have its body read.
 *
 * @example
 * const pending = await checkSigV4Head({ method: 'POST', url: '/', headers: req.headers }, { region, lookup });
 * const { caller } = await pending.verifyBody(rawBody);
 */
export async function checkSigV4Head(head: RequestHead, options: SigV4Options): Promise<PendingSignature> {
  const header = single(head.headers.authorization);
  if (header === undefined)
    throw new AwsProtocolError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const auth = parseAuthorization(header);

  const amzDate = single(head.headers['x-amz-date']);
  if (amzDate === undefined || !auth.signedHeaders.includes('x-amz-date')) {
    throw new AwsProtocolError(
      'IncompleteSignatureException',
      "Authorization header requires a signed 'X-Amz-Date' header.",
    );
  }
  const signingDate = parseAmzDate(amzDate);
  checkSignedHeaders(head.headers, auth.signedHeaders);

  checkScope(auth, amzDate, options.region);
  checkClock(signingDate, amzDate, (options.now ?? (() => new Date()))());

  let found: Awaited<ReturnType<AccessKeyLookup>>;
  try {
    found = await options.lookup(auth.accessKeyId);
  } catch (error) {
    if (error instanceof KmsError && error.code === 'UNAUTHENTICATED') {
      throw new AwsProtocolError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    throw error;
  }

  const discard = (): void => {
    found.secretAccessKey.wipe();
  };
  return {
    discard,
    async verifyBody(body) {
      const request: SignedRequest = { ...head, body };
      let expected: string;
      try {
        checkPayloadHash(request, auth.signedHeaders);
        // Smithy's signer takes the secret as a string (which cannot be wiped); the SecretBytes copy is wiped here.
        expected = await expectedSignature(
          request,
          auth,
          signingDate,
          Buffer.from(exposeSecret(found.secretAccessKey)).toString('utf8'),
          options.region,
        );
      } finally {
        discard();
      }
      if (!constantTimeEqual(expected, auth.signature)) {
        throw new AwsProtocolError(
          'InvalidSignatureException',
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
        );
      }
      await found.recordUse?.();
      return {
        caller: found.caller,
        signature: auth.signature,
        expiresAt: new Date(signingDate.getTime() + MAX_CLOCK_SKEW_MS),
      };
    },
  };
}

/**
 * The caller of a SigV4-signed request (both steps of checkSigV4Head at once), or an AwsProtocolError named as AWS
 * names the failure.
 *
 * @example
 * const { caller } = await verifySigV4({ method: 'POST', url: '/', headers: req.headers, body: rawBody }, { region, lookup });
 */
export async function verifySigV4(request: SignedRequest, options: SigV4Options): Promise<VerifiedRequest> {
  const pending = await checkSigV4Head(request, options);
  return pending.verifyBody(request.body);
}

/**
 * What the signature must cover (AWS SigV4: `host`, and every `x-amz-*` header the request carries, which includes
 * `x-amz-target`, the operation; and `content-type`, which says how the body is read). Otherwise anyone who sees
 * the request could change the unsigned part: a DescribeKey signed over `host;x-amz-date` alone would become any
 * other operation with the same body.
 */
function checkSignedHeaders(headers: IncomingHttpHeaders, signed: readonly string[]): void {
  const amz = Object.keys(headers).filter((name) => name.startsWith('x-amz-'));
  // A key's PIN (Key PINs) is signed too: unsigned, anyone on the path could swap it to spend the key's tries.
  for (const name of ['host', 'x-amz-target', 'content-type', KEY_PIN_HEADER, ...amz]) {
    if (name === 'host' || headers[name] !== undefined) {
      if (!signed.includes(name)) {
        throw new AwsProtocolError(
          'IncompleteSignatureException',
          `'${displayName(name)}' must be a 'SignedHeader' in the AWS Authorization.`,
        );
      }
    }
  }
}

/** `x-amz-target` → `X-Amz-Target`, as AWS spells header names in its messages. */
function displayName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** `AWS4-HMAC-SHA256 Credential=<id>/<date>/<region>/<service>/aws4_request, SignedHeaders=a;b, Signature=<hex>`. */
function parseAuthorization(header: string): ParsedAuthorization {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM)
    throw new AwsProtocolError('IncompleteSignatureException', `Unsupported AWS 'algorithm': '${algorithm}'.`);
  const params = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const required = (name: string): string => {
    const value = params.get(name);
    if (!value)
      throw new AwsProtocolError('IncompleteSignatureException', `Authorization header requires '${name}' parameter.`);
    return value;
  };
  const [credentialParam, signedHeaders, signature] = [
    required('Credential'),
    required('SignedHeaders'),
    required('Signature'),
  ];
  const credential = credentialParam.split('/');
  if (credential.length !== 5 || credential.some((part) => part === '')) {
    throw new AwsProtocolError(
      'IncompleteSignatureException',
      'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.',
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = credential as [string, string, string, string, string];
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    terminator,
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature,
  };
}

/** X-Amz-Date is ISO 8601 basic format, `YYYYMMDD'T'HHMMSS'Z'`. */
function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  const date = m
    ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])))
    : undefined;
  if (!date || Number.isNaN(date.getTime()) || formatAmzDate(date) !== value) {
    throw new AwsProtocolError(
      'IncompleteSignatureException',
      `Date must be in ISO-8601 'basic format'. Got '${value}'.`,
    );
  }
  return date;
}

function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function checkScope(auth: ParsedAuthorization, amzDate: string, region: string): void {
  const fail = (message: string) => new AwsProtocolError('InvalidSignatureException', message);
  if (auth.scopeDate !== amzDate.slice(0, 8)) {
    throw fail(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (auth.region !== region) throw fail(`Credential should be scoped to a valid region, not '${auth.region}'.`);
  if (auth.service !== SERVICE) throw fail(`Credential should be scoped to correct service: '${SERVICE}'.`);
  if (auth.terminator !== 'aws4_request')
    throw fail(`Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'.`);
}

function checkClock(signingDate: Date, amzDate: string, now: Date): void {
  const skew = signingDate.getTime() - now.getTime();
  if (skew < -MAX_CLOCK_SKEW_MS) {
    const earliest = formatAmzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS));
    throw new AwsProtocolError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${earliest} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (skew > MAX_CLOCK_SKEW_MS) {
    const latest = formatAmzDate(new Date(now.getTime() + MAX_CLOCK_SKEW_MS));
    throw new AwsProtocolError(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${latest} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
}

/**
 * A signed `x-amz-content-sha256` stands in for the body in the signature (the signer uses it as the payload hash),
 * so it must be the hash of the body actually received; otherwise the signature would not cover the body.
 */
function checkPayloadHash(request: SignedRequest, signedHeaders: readonly string[]): void {
  if (!signedHeaders.includes('x-amz-content-sha256')) return;
  const claimed = single(request.headers['x-amz-content-sha256']);
  const actual = createHash('sha256').update(request.body).digest('hex');
  if (claimed !== actual) {
    throw new AwsProtocolError(
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
}

/** The signature Custos computes for the request: the same method, path, query, signed headers and body. */
async function expectedSignature(
  request: SignedRequest,
  auth: ParsedAuthorization,
  signingDate: Date,
  secretAccessKey: string,
  region: string,
): Promise<string> {
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region,
    service: SERVICE,
    sha256: Hash.bind(null, 'sha256'),
    // Only headers the client signed take part; the client's own x-amz-content-sha256, if signed, is among them.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'https:',
      hostname: headers.host ?? 'localhost',
      path: decodePath(rawPath),
      query: parseQuery(queryStart < 0 ? '' : request.url.slice(queryStart + 1)),
      headers,
      body: request.body,
    }),
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  const match = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization));
  return match?.[1] ?? '';
}

/** The signer escapes the path itself (RFC 3986, per segment), so it is given the decoded path. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new AwsProtocolError('InvalidSignatureException', 'The request path is not valid percent-encoding.');
  }
}

function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (query === '') return out;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(k);
      value = decodeURIComponent(v);
    } catch {
      throw new AwsProtocolError('InvalidSignatureException', 'The query string is not valid percent-encoding.');
    }
    const previous = out[key];
    out[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return out;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Constant-time comparison of two hex signatures (lengths are not secret: both are 64 characters when valid). */
function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
