// The checks of a SigV4-signed request that read its headers alone: the Authorization header's form, the X-Amz-Date
// and its window, the credential scope (date, region, service, terminator), and which headers the signature must
// cover. Each failure is an AwsProtocolError named and worded as AWS names it. Must not import service, store or
// keystore.
import type { IncomingHttpHeaders } from 'node:http';
import { KEY_PIN_HEADER } from '@custos/contract';
import { AwsProtocolError } from './protocol-errors.js';

/** AWS accepts a request whose X-Amz-Date is within 15 minutes of its own clock (either way). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
export const SERVICE = 'kms';
const ALGORITHM = 'AWS4-HMAC-SHA256';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The parts of `AWS4-HMAC-SHA256 Credential=<id>/<date>/<region>/<service>/aws4_request, SignedHeaders=a;b, Signature=<hex>`. */
export interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

export function parseAuthorization(header: string): ParsedAuthorization {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM)
    throw new AwsProtocolError('IncompleteSignatureException', `Unsupported AWS 'algorithm': '${algorithm}'.`);
  let credentialParam: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  // `name=value` parameters separated by commas, scanned in place (no array of parts).
  for (let start = space + 1; start < header.length;) {
    const comma = header.indexOf(',', start);
    const end = comma < 0 ? header.length : comma;
    const eq = header.indexOf('=', start);
    if (eq > start && eq < end) {
      const name = header.slice(start, eq).trim();
      const value = header.slice(eq + 1, end).trim();
      if (name === 'Credential') credentialParam = value;
      else if (name === 'SignedHeaders') signedHeaders = value;
      else if (name === 'Signature') signature = value;
    }
    start = end + 1;
  }
  if (!credentialParam) throw missingParameter('Credential');
  if (!signedHeaders) throw missingParameter('SignedHeaders');
  if (!signature) throw missingParameter('Signature');
  const [accessKeyId, scopeDate, region, service, terminator] = credentialParts(credentialParam);
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    terminator,
    signedHeaders: signedHeaderNames(signedHeaders),
    signature,
  };
}

function missingParameter(name: string): AwsProtocolError {
  return new AwsProtocolError('IncompleteSignatureException', `Authorization header requires '${name}' parameter.`);
}

/**
 * Credential and SignedHeaders values parsed lately: a client sends the same ones with every request of a day, so
 * each is split once (the results are frozen: shared by every request that sends the same text).
 */
const credentials = new Map<string, Readonly<[string, string, string, string, string]>>();
const headerLists = new Map<string, readonly string[]>();
const MAX_PARSED = 1_000;

function remember<T>(map: Map<string, T>, text: string, parsed: T): T {
  if (map.size >= MAX_PARSED) map.clear();
  map.set(text, parsed);
  return parsed;
}

/** `<id>/<date>/<region>/<service>/<terminator>`, each part non-empty. */
function credentialParts(text: string): Readonly<[string, string, string, string, string]> {
  const known = credentials.get(text);
  if (known) return known;
  const parts = text.split('/');
  if (parts.length !== 5 || parts.some((part) => part === '')) {
    throw new AwsProtocolError(
      'IncompleteSignatureException',
      'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.',
    );
  }
  return remember(credentials, text, Object.freeze(parts as [string, string, string, string, string]));
}

/** `a;B;c` → `['a', 'b', 'c']` (lower case, trimmed). */
function signedHeaderNames(text: string): readonly string[] {
  return (
    headerLists.get(text) ??
    remember(headerLists, text, Object.freeze(text.split(';').map((name) => name.trim().toLowerCase())))
  );
}

/** The last X-Amz-Date parsed (requests of the same second carry the same one): its text and time. */
let lastAmzDate: { readonly value: string; readonly time: number } | undefined;

/**
 * X-Amz-Date is ISO 8601 basic format, `YYYYMMDD'T'HHMMSS'Z'`, and a real moment (no 13th month, no 25th hour).
 * A new Date each call (callers may keep it); the parse itself is skipped for the same text as the last call's.
 */
export function parseAmzDate(value: string): Date {
  if (value === lastAmzDate?.value) return new Date(lastAmzDate.time);
  const date = parseNewAmzDate(value);
  lastAmzDate = { value, time: date.getTime() };
  return date;
}

function parseNewAmzDate(value: string): Date {
  const m = AMZ_DATE.exec(value);
  if (m) {
    const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
    const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day, hour, minute, second));
    if (
      date.getUTCFullYear() === year &&
      date.getUTCMonth() + 1 === month &&
      date.getUTCDate() === day &&
      date.getUTCHours() === hour &&
      date.getUTCMinutes() === minute &&
      date.getUTCSeconds() === second
    )
      return date;
  }
  throw new AwsProtocolError(
    'IncompleteSignatureException',
    `Date must be in ISO-8601 'basic format'. Got '${value}'.`,
  );
}

function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * What the signature must cover (AWS SigV4: `host`, and every `x-amz-*` header the request carries, which includes
 * `x-amz-target`, the operation; and `content-type`, which says how the body is read). Otherwise anyone who sees
 * the request could change the unsigned part: a DescribeKey signed over `host;x-amz-date` alone would become any
 * other operation with the same body. A key's PIN (Key PINs) is signed too: unsigned, anyone on the path could swap
 * it to spend the key's tries.
 */
export function checkSignedHeaders(headers: IncomingHttpHeaders, signed: readonly string[]): void {
  requireSigned('host', signed);
  if (headers['x-amz-target'] !== undefined) requireSigned('x-amz-target', signed);
  if (headers['content-type'] !== undefined) requireSigned('content-type', signed);
  if (headers[KEY_PIN_HEADER] !== undefined) requireSigned(KEY_PIN_HEADER, signed);
  for (const name in headers) if (name.startsWith('x-amz-')) requireSigned(name, signed);
}

function requireSigned(name: string, signed: readonly string[]): void {
  if (!signed.includes(name)) {
    throw new AwsProtocolError(
      'IncompleteSignatureException',
      `'${displayName(name)}' must be a 'SignedHeader' in the AWS Authorization.`,
    );
  }
}

/** `x-amz-target` → `X-Amz-Target`, as AWS spells header names in its messages. */
function displayName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
}

export function checkScope(auth: ParsedAuthorization, amzDate: string, region: string): void {
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

export function checkClock(signingDate: Date, amzDate: string, now: Date): void {
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

export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
