// The SigV4 canonical request and string to sign, built as the AWS SDK's signer (@smithy/signature-v4) builds them:
// the same path normalisation and escaping, query ordering, header value folding and signed-header list, so that
// every request an AWS SDK signs verifies byte for byte. Pure string work: no crypto but the hashes the format names.
// Must not import service, store or keystore.
import type { IncomingHttpHeaders } from 'node:http';
import { AwsProtocolError } from './protocol-errors.js';

/** The hash of an empty payload, which needs no hashing. */
export const EMPTY_PAYLOAD_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * The canonical request of SigV4 (method, canonical path, canonical query, canonical headers, signed headers, payload
 * hash). `signedHeaders` are the lower-case names the client listed; those the request does not carry take no part
 * (as in the SDK's signer, which signs the headers it has).
 */
export function canonicalRequest(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  signedHeaders: readonly string[],
  payloadHash: string,
): string {
  const queryStart = url.indexOf('?');
  const path = queryStart < 0 ? url : url.slice(0, queryStart);
  const query = queryStart < 0 ? '' : url.slice(queryStart + 1);
  let names = '';
  let lines = '';
  for (const name of sortedUnique(signedHeaders)) {
    const value = headers[name];
    if (value === undefined) continue;
    names += names === '' ? name : `;${name}`;
    lines += `${name}:${foldValue(Array.isArray(value) ? value.join(',') : value)}\n`;
  }
  return `${method}\n${canonicalPath(path)}\n${canonicalQuery(query)}\n${lines}\n${names}\n${payloadHash}`;
}

/** `[ \t]+` → one space, line breaks → spaces, one leading and one trailing space dropped (the SDK's folding). */
function foldValue(value: string): string {
  if (!/[\r\n\t]| {2}|^ | $/.test(value)) return value; // the common case: nothing to fold
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

function sortedUnique(names: readonly string[]): readonly string[] {
  // As clients send them, in order and once each: nothing to do.
  if (names.every((name, i) => i === 0 || (names[i - 1] ?? '') < name)) return names;
  return [...new Set(names)].sort();
}

/**
 * The path, percent-decoded, with empty, `.` and `..` segments resolved, then escaped twice over (RFC 3986, with
 * `/` kept): what the SDK's signer does with `uriEscapePath` for every service but S3.
 */
function canonicalPath(rawPath: string): string {
  if (rawPath === '/') return '/';
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw new AwsProtocolError('InvalidSignatureException', 'The request path is not valid percent-encoding.');
  }
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

/** Query parameters decoded, then escaped, sorted by key (values of a repeated key sorted too), `x-amz-signature` left out. */
function canonicalQuery(query: string): string {
  if (query === '') return '';
  const byKey = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      value = decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1));
    } catch {
      throw new AwsProtocolError('InvalidSignatureException', 'The query string is not valid percent-encoding.');
    }
    if (key.toLowerCase() === 'x-amz-signature') continue;
    const encodedKey = escapeUri(key);
    const list = byKey.get(encodedKey);
    const entry = `${encodedKey}=${escapeUri(value)}`;
    if (list) list.push(entry);
    else byKey.set(encodedKey, [entry]);
  }
  return [...byKey.keys()]
    .sort()
    .map((key) => (byKey.get(key) ?? []).sort().join('&'))
    .join('&');
}

/** RFC 3986 escaping, as the SDK's `escapeUri`: encodeURIComponent plus `!'()*`. */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
