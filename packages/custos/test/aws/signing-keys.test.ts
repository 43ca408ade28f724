// The SigV4 signing-key cache (api/aws/signing-keys.ts) as verifySigV4 uses it: a key derived once per access key
// lookup, date, region and service, derived anew for another date or region or a new lookup, dropped when the access
// key is refused; and the node:crypto verifier against the AWS SDK's own signer (@smithy/signature-v4) on the parts
// of the canonical request that need care (header folding, repeated query keys, dot segments).
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, type Caller } from '@custos/contract';
import { SecretBytes } from '../../src/core/secret-bytes.js';
import {
  beginSigV4,
  SigningKeyCache,
  verifySigV4,
  type AccessKeyFound,
  type AccessKeyLookup,
  type SignedRequest,
} from '../../src/api/aws/sigv4.js';
import { AwsProtocolError } from '../../src/api/aws/protocol-errors.js';

const ID = 'AKIACUSTOSABCDEFGHIJ';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const CALLER: Caller = { principal: 'svc', roles: ['key-user'] };
const NOW = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));

interface SignOptions {
  region?: string;
  date?: Date;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
}

async function signed(options: SignOptions = {}): Promise<SignedRequest & { headers: Record<string, string> }> {
  const body = '{"KeyId":"alias/a"}';
  const signer = new SignatureV4({
    credentials: { accessKeyId: ID, secretAccessKey: SECRET },
    region: options.region ?? 'us-east-1',
    service: 'kms',
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 7300,
      path: options.path ?? '/',
      query: options.query ?? {},
      headers: {
        host: '127.0.0.1:7300',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.DescribeKey',
        ...options.headers,
      },
      body,
    }),
    { signingDate: options.date ?? NOW },
  );
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(options.query ?? {})) for (const one of [v].flat()) params.append(k, one);
  const qs = params.toString().replace(/\+/g, '%20');
  const path = (options.path ?? '/').split('/').map(encodeURIComponent).join('/');
  return { method: 'POST', url: qs ? `${path}?${qs}` : path, headers, body: Buffer.from(body) };
}

/** A lookup that answers one entry (as the service does while its lookup is cached) and counts unwraps. */
function stableLookup(): { lookup: AccessKeyLookup; unwraps: () => number; revoke: () => void; renew: () => void } {
  let unwraps = 0;
  let revoked = false;
  const entry = (): AccessKeyFound => ({
    caller: CALLER,
    secretAccessKey: async () => {
      unwraps += 1;
      return SecretBytes.from(new TextEncoder().encode(SECRET));
    },
  });
  let current = entry();
  return {
    lookup: async (id) => {
      if (id !== ID || revoked) throw new AuthenticationError();
      return current;
    },
    unwraps: () => unwraps,
    revoke: () => void (revoked = true),
    renew: () => void (current = entry()),
  };
}

const verify = (
  request: SignedRequest,
  lookup: AccessKeyLookup,
  signingKeys: SigningKeyCache,
  region = 'us-east-1',
  now = NOW,
) => verifySigV4(request, { region, lookup, signingKeys, now: () => now });

describe('the signing-key cache', () => {
  it('derives once per access key lookup and scope; another date or region derives anew', async () => {
    const keys = new SigningKeyCache();
    const { lookup, unwraps } = stableLookup();
    expect((await verify(await signed(), lookup, keys)).caller).toEqual(CALLER);
    expect((await verify(await signed({ date: new Date(NOW.getTime() + 1000) }), lookup, keys)).caller).toEqual(CALLER);
    expect(unwraps()).toBe(1);
    expect(keys.size).toBe(1);

    // Just past midnight: a new scope date, a new signing key (yesterday's stays until evicted).
    const tomorrow = new Date(Date.UTC(2025, 5, 2, 0, 1, 0));
    expect((await verify(await signed({ date: tomorrow }), lookup, keys, 'us-east-1', tomorrow)).caller).toEqual(
      CALLER,
    );
    expect(unwraps()).toBe(2);
    // Another region (a server configured for it, sharing the cache): derived anew, and correct.
    expect((await verify(await signed({ region: 'eu-west-1' }), lookup, keys, 'eu-west-1')).caller).toEqual(CALLER);
    expect(unwraps()).toBe(3);
    expect(keys.size).toBe(3);
    // The cached keys still verify, and refuse a wrong signature.
    await verify(await signed(), lookup, keys);
    expect(unwraps()).toBe(3);
    const request = await signed();
    const authorization = request.headers.authorization!.replace(
      /Signature=([0-9a-f])/,
      (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`,
    );
    await expect(
      verify({ ...request, headers: { ...request.headers, authorization } }, lookup, keys),
    ).rejects.toMatchObject({
      exception: 'InvalidSignatureException',
    });
  });

  it('a new lookup of the access key (its cache expired, or another node changed it) derives anew', async () => {
    const keys = new SigningKeyCache();
    const { lookup, unwraps, renew } = stableLookup();
    await verify(await signed(), lookup, keys);
    renew();
    await verify(await signed(), lookup, keys);
    expect(unwraps()).toBe(2);
    expect(keys.size).toBe(1);
  });

  it('a revoked access key is refused (UnrecognizedClientException), and its signing keys are dropped', async () => {
    const keys = new SigningKeyCache();
    const { lookup, revoke } = stableLookup();
    await verify(await signed(), lookup, keys);
    await verify(await signed({ region: 'eu-west-1' }), lookup, keys, 'eu-west-1');
    expect(keys.size).toBe(2);
    revoke();
    const error = await verify(await signed(), lookup, keys).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsProtocolError);
    expect((error as AwsProtocolError).exception).toBe('UnrecognizedClientException');
    expect(keys.size).toBe(0);
  });

  it('with the lookup and the signing key cached, checks a request with no promise; a wrong one throws as it would reject', async () => {
    const keys = new SigningKeyCache();
    const { lookup } = stableLookup();
    const found = await lookup(ID);
    let cachedLookups = 0;
    const options = {
      region: 'us-east-1',
      lookup: () => Promise.reject(new Error('the cached lookup answers')),
      lookupCached: (id: string) => {
        cachedLookups += 1;
        return id === ID ? found : undefined;
      },
      signingKeys: keys,
      now: () => NOW,
    };
    const first = await signed();
    // The first request derives the signing key (a promise: the secret is unwrapped).
    const pending = beginSigV4(first, options);
    expect(pending).not.toBeInstanceOf(Promise);
    const derived = (pending as Exclude<typeof pending, Promise<unknown>>).verify(first.body);
    expect(derived).toBeInstanceOf(Promise);
    expect((await derived).caller).toEqual(CALLER);
    // Then: no promise at all.
    const again = beginSigV4(first, options) as Exclude<typeof pending, Promise<unknown>>;
    const result = again.verify(first.body);
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toMatchObject({ caller: CALLER, signature: /^[0-9a-f]{64}$/ });
    expect(cachedLookups).toBe(2);
    const tampered = beginSigV4(first, options) as Exclude<typeof pending, Promise<unknown>>;
    expect(() => tampered.verify(Buffer.from('{"KeyId":"alias/b"}'))).toThrow(AwsProtocolError);
    // An access key the cache does not know is looked up (and here the lookup fails).
    const other = await signed();
    const unknown = {
      ...other,
      headers: { ...other.headers, authorization: other.headers.authorization!.replace(ID, 'AKIACUSTOSZZZZZZZZZZ') },
    };
    await expect(beginSigV4(unknown, options)).rejects.toThrow('the cached lookup answers');
  });

  it('is bounded: the oldest entry leaves first', async () => {
    const keys = new SigningKeyCache(2);
    const { lookup, unwraps } = stableLookup();
    const [day1, day2, day3] = [1, 2, 3].map((d) => new Date(Date.UTC(2025, 5, d, 12))) as [Date, Date, Date];
    for (const day of [day1, day2, day3]) await verify(await signed({ date: day }), lookup, keys, 'us-east-1', day);
    expect(keys.size).toBe(2);
    await verify(await signed({ date: day3 }), lookup, keys, 'us-east-1', day3);
    expect(unwraps()).toBe(3);
    await verify(await signed({ date: day1 }), lookup, keys, 'us-east-1', day1);
    expect(unwraps()).toBe(4);
  });
});

describe('verifySigV4 against the AWS SDK signer', () => {
  const keys = new SigningKeyCache();
  const { lookup } = stableLookup();

  it('checks every X-Amz-Date, though the last one parsed is remembered: an empty or malformed one after a good one is refused', async () => {
    const request = await signed();
    await verify(request, lookup, keys);
    await verify(request, lookup, keys); // the same date again
    for (const date of ['', '20250601T120000', '20250631T120000Z']) {
      await expect(
        verify({ ...request, headers: { ...request.headers, 'x-amz-date': date } }, lookup, keys),
        date,
      ).rejects.toMatchObject({ exception: 'IncompleteSignatureException' });
    }
  });

  it('folds header values as the signer does (runs of spaces and tabs, leading and trailing space)', async () => {
    const request = await signed({ headers: { 'x-amz-meta': '  a \t  b  ', 'x-amz-other': 'plain' } });
    expect((await verify(request, lookup, keys)).caller).toEqual(CALLER);
  });

  it('orders repeated query keys and their values, and resolves dot segments in the path', async () => {
    for (const options of [
      { query: { b: ['2', '1'], a: 'x y', "it's": '(*)!' } },
      { path: '/a/./b/../c/' },
      { path: '/€ (x)/y' },
    ]) {
      expect((await verify(await signed(options), lookup, keys)).caller, JSON.stringify(options)).toEqual(CALLER);
    }
  });

  it('refuses a request whose query or headers changed after signing', async () => {
    const request = await signed({ query: { a: '1' }, headers: { 'x-amz-meta': 'a b' } });
    for (const changed of [
      { ...request, url: '/?a=2' },
      { ...request, headers: { ...request.headers, 'x-amz-meta': 'a  c' } },
      { ...request, method: 'PUT' },
    ]) {
      await expect(verify(changed, lookup, keys)).rejects.toMatchObject({ exception: 'InvalidSignatureException' });
    }
  });
});
