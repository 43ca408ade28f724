// SigV4 verification without a server: requests signed by @smithy/signature-v4 (as the AWS SDK signs them) fed to
// verifySigV4, which must accept exactly those and name each failure as AWS does.
import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, InternalError, type Caller } from '@custos/contract';
import { exposeSecret, SecretBytes } from '../../src/core/secret-bytes.js';
import { AwsProtocolError } from '../../src/api/aws/protocol-errors.js';
import { checkSigV4Head, verifySigV4, type AccessKeyLookup, type SignedRequest } from '../../src/api/aws/sigv4.js';

const ID = 'AKIACUSTOSABCDEFGHIJ';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const CALLER: Caller = { principal: 'svc', roles: ['key-user'] };
const NOW = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
const MIN = 60_000;

/** Hands a fresh copy of the secret on every call (the verifier must wipe it). */
const lookup = async (id: string): Promise<{ caller: Caller; secretAccessKey: SecretBytes }> => {
  if (id !== ID) throw new AuthenticationError();
  return { caller: CALLER, secretAccessKey: SecretBytes.from(new TextEncoder().encode(SECRET)) };
};

interface SignOptions {
  secret?: string;
  accessKeyId?: string;
  region?: string;
  service?: string;
  date?: Date;
  body?: string;
  path?: string;
  query?: Record<string, string>;
  applyChecksum?: boolean;
  headers?: Record<string, string>;
}

/** A request as the AWS SDK sends it, signed by Smithy's signer, in the shape the server receives it. */
async function signed(options: SignOptions = {}): Promise<SignedRequest & { headers: Record<string, string> }> {
  const body = options.body ?? '{"KeyId":"alias/a"}';
  const signer = new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId ?? ID, secretAccessKey: options.secret ?? SECRET },
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'kms',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: options.applyChecksum ?? true,
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
        'user-agent': 'aws-sdk-js/3',
        ...options.headers,
      },
      body,
    }),
    { signingDate: options.date ?? NOW },
  );
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  const qs = new URLSearchParams(options.query ?? {}).toString().replace(/\+/g, '%20');
  const encodedPath = (options.path ?? '/').split('/').map(encodeURIComponent).join('/');
  return { method: 'POST', url: qs ? `${encodedPath}?${qs}` : encodedPath, headers, body: Buffer.from(body) };
}

async function failure(request: SignedRequest, region = 'us-east-1', now = NOW): Promise<AwsProtocolError> {
  try {
    await verifySigV4(request, { region, lookup, now: () => now });
  } catch (error) {
    if (error instanceof AwsProtocolError) return error;
    throw error;
  }
  throw new Error('expected the signature to be refused');
}

const verify = async (request: SignedRequest, now = NOW): Promise<Caller> =>
  (await verifySigV4(request, { region: 'us-east-1', lookup, now: () => now })).caller;

describe('verifySigV4', () => {
  it('accepts a request signed as the AWS SDK signs it, and returns the access key caller', async () => {
    expect(await verify(await signed())).toEqual(CALLER);
  });

  it('accepts a request signed without x-amz-content-sha256 (the payload hash is computed from the body)', async () => {
    expect(await verify(await signed({ applyChecksum: false }))).toEqual(CALLER);
  });

  it('accepts a path and a query string that need escaping', async () => {
    expect(await verify(await signed({ path: '/a b/c', query: { 'x y': 'a/b=c', z: '' } }))).toEqual(CALLER);
  });

  it('accepts a request up to 15 minutes early or late', async () => {
    expect(await verify(await signed({ date: new Date(NOW.getTime() - 14 * MIN) }))).toEqual(CALLER);
    expect(await verify(await signed({ date: new Date(NOW.getTime() + 14 * MIN) }))).toEqual(CALLER);
  });

  it('refuses a wrong secret with InvalidSignatureException', async () => {
    const error = await failure(await signed({ secret: SECRET.replace('w', 'x') }));
    expect(error.exception).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/signature we calculated does not match/);
  });

  it('refuses a changed body with InvalidSignatureException, with or without x-amz-content-sha256', async () => {
    for (const applyChecksum of [true, false]) {
      const request = await signed({ applyChecksum });
      const tampered = { ...request, body: Buffer.from('{"KeyId":"alias/b"}') };
      expect((await failure(tampered)).exception).toBe('InvalidSignatureException');
    }
  });

  it('refuses a forged x-amz-content-sha256 that matches the new body but not the signature', async () => {
    const request = await signed();
    const body = Buffer.from('{"KeyId":"alias/b"}');
    const headers = { ...request.headers, 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') };
    expect((await failure({ ...request, body, headers })).exception).toBe('InvalidSignatureException');
  });

  it('refuses a changed signed header (the target) with InvalidSignatureException', async () => {
    const request = await signed();
    const headers = { ...request.headers, 'x-amz-target': 'TrentService.ScheduleKeyDeletion' };
    expect((await failure({ ...request, headers })).exception).toBe('InvalidSignatureException');
  });

  it('ignores headers that were not signed', async () => {
    const request = await signed();
    expect(
      await verify({
        ...request,
        headers: { ...request.headers, 'x-forwarded-for': '10.0.0.1', 'user-agent': 'changed' },
      }),
    ).toEqual(CALLER);
  });

  it('refuses an unknown access key id with UnrecognizedClientException', async () => {
    const error = await failure(await signed({ accessKeyId: 'AKIACUSTOSUNKNOWN234' }));
    expect(error.exception).toBe('UnrecognizedClientException');
  });

  it('passes other lookup failures through unchanged', async () => {
    const broken: AccessKeyLookup = async () => {
      throw new InternalError('store down');
    };
    await expect(
      verifySigV4(await signed(), { region: 'us-east-1', lookup: broken, now: () => NOW }),
    ).rejects.toBeInstanceOf(InternalError);
  });

  it('refuses a signature older than 15 minutes with InvalidSignatureException "Signature expired"', async () => {
    const error = await failure(await signed({ date: new Date(NOW.getTime() - 16 * MIN) }));
    expect(error.exception).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/^Signature expired: 20250601T114400Z is now earlier than 20250601T114500Z/);
  });

  it('refuses a signature more than 15 minutes in the future with InvalidSignatureException', async () => {
    const error = await failure(await signed({ date: new Date(NOW.getTime() + 16 * MIN) }));
    expect(error.exception).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/^Signature not yet current/);
  });

  it('refuses a credential scoped to another region or service with InvalidSignatureException', async () => {
    expect((await failure(await signed({ region: 'eu-west-1' }))).message).toMatch(/valid region, not 'eu-west-1'/);
    expect((await failure(await signed({ service: 's3' }))).message).toMatch(/correct service: 'kms'/);
    expect((await failure(await signed(), 'eu-west-1')).exception).toBe('InvalidSignatureException');
  });

  it('refuses a credential scope date that differs from X-Amz-Date', async () => {
    const request = await signed();
    const authorization = request.headers.authorization!.replace('/20250601/', '/20250531/');
    const error = await failure({ ...request, headers: { ...request.headers, authorization } });
    expect(error.exception).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/Date in Credential scope/);
  });

  it('refuses a request without Authorization with MissingAuthenticationTokenException', async () => {
    const { authorization: _omit, ...headers } = (await signed()).headers;
    expect((await failure({ ...(await signed()), headers })).exception).toBe('MissingAuthenticationTokenException');
  });

  it('refuses malformed Authorization headers and dates with IncompleteSignatureException', async () => {
    const request = await signed();
    const auth = request.headers.authorization!;
    const variants = [
      auth.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256'),
      'Bearer cst_abc',
      auth.replace(/, Signature=[0-9a-f]+/, ''),
      auth.replace(/Credential=[^,]+/, `Credential=${ID}/20250601/us-east-1/kms`),
      auth.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=x-amz-date;x-amz-target'),
      auth.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=host;x-amz-target'),
    ];
    for (const authorization of variants) {
      expect(
        (await failure({ ...request, headers: { ...request.headers, authorization } })).exception,
        authorization,
      ).toBe('IncompleteSignatureException');
    }
    for (const date of ['2025-06-01T12:00:00Z', '20251301T120000Z', '']) {
      expect((await failure({ ...request, headers: { ...request.headers, 'x-amz-date': date } })).exception, date).toBe(
        'IncompleteSignatureException',
      );
    }
  });

  it('refuses a request whose target, content type or any x-amz-* header is not signed (IncompleteSignatureException)', async () => {
    const request = await signed({ headers: { 'x-amz-security-token': 'session' } });
    const auth = request.headers.authorization!;
    expect(auth).toMatch(
      /SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target,/,
    );
    const cases: [string, string][] = [
      ['x-amz-target', 'X-Amz-Target'],
      ['content-type', 'Content-Type'],
      ['x-amz-security-token', 'X-Amz-Security-Token'],
      ['x-amz-content-sha256', 'X-Amz-Content-Sha256'],
    ];
    for (const [name, shown] of cases) {
      // The same signature over the other headers, with `name` left out of SignedHeaders but still sent.
      const authorization = auth.replace(
        /SignedHeaders=([^,]+)/,
        (_m, list: string) =>
          `SignedHeaders=${list
            .split(';')
            .filter((h) => h !== name)
            .join(';')}`,
      );
      const error = await failure({ ...request, headers: { ...request.headers, authorization } });
      expect(error.exception, name).toBe('IncompleteSignatureException');
      expect(error.message).toBe(`'${shown}' must be a 'SignedHeader' in the AWS Authorization.`);
    }
  });

  it('accepts a request without content type or target headers when the rest is signed (the route refuses it later)', async () => {
    const request = await signed();
    const { 'content-type': _type, 'x-amz-target': _target, ...headers } = request.headers;
    const authorization = request.headers.authorization!.replace(
      /SignedHeaders=[^,]+/,
      'SignedHeaders=host;x-amz-content-sha256;x-amz-date',
    );
    // Not signed over these headers: the signature no longer matches, but the signed-header rule is met.
    const error = await failure({ ...request, headers: { ...headers, authorization } });
    expect(error.exception).toBe('InvalidSignatureException');
  });

  it('answers the signature and when it expires (X-Amz-Date + 15 minutes), which identify the request for the replay guard', async () => {
    const request = await signed();
    const verified = await verifySigV4(request, { region: 'us-east-1', lookup, now: () => NOW });
    expect(verified.signature).toBe(/Signature=([0-9a-f]{64})/.exec(request.headers.authorization!)![1]);
    expect(verified.expiresAt).toEqual(new Date(NOW.getTime() + 15 * MIN));
  });

  it('checks the headers before the body is read; a request without credentials fails without any lookup', async () => {
    let lookups = 0;
    const counting: AccessKeyLookup = async (id) => {
      lookups += 1;
      return lookup(id);
    };
    const { body: _body, ...head } = await signed();
    const pending = await checkSigV4Head(head, { region: 'us-east-1', lookup: counting, now: () => NOW });
    expect(lookups).toBe(1);
    expect((await pending.verifyBody(Buffer.from('{"KeyId":"alias/a"}'))).caller).toEqual(CALLER);
    const { authorization: _a, ...anonymous } = head.headers;
    await expect(
      checkSigV4Head({ ...head, headers: anonymous }, { region: 'us-east-1', lookup: counting, now: () => NOW }),
    ).rejects.toMatchObject({ exception: 'MissingAuthenticationTokenException' });
    expect(lookups).toBe(1);
  });

  it('wipes the secret when a pending check is discarded instead of finished', async () => {
    const secrets: SecretBytes[] = [];
    const keeping: AccessKeyLookup = async (id) => {
      const result = await lookup(id);
      secrets.push(result.secretAccessKey);
      return result;
    };
    const { body: _body, ...head } = await signed();
    const pending = await checkSigV4Head(head, { region: 'us-east-1', lookup: keeping, now: () => NOW });
    pending.discard();
    pending.discard();
    expect(() => exposeSecret(secrets[0]!)).toThrow(/wipe/);
  });

  it('records a use only when the signature verifies', async () => {
    let uses = 0;
    const counting: AccessKeyLookup = async (id) => ({
      ...(await lookup(id)),
      recordUse: async () => void (uses += 1),
    });
    await verifySigV4(await signed({ secret: 'wrong' }), {
      region: 'us-east-1',
      lookup: counting,
      now: () => NOW,
    }).catch(() => undefined);
    await verifySigV4(await signed({ date: new Date(NOW.getTime() - 20 * MIN) }), {
      region: 'us-east-1',
      lookup: counting,
      now: () => NOW,
    }).catch(() => undefined);
    expect(uses).toBe(0);
    await verifySigV4(await signed(), { region: 'us-east-1', lookup: counting, now: () => NOW });
    expect(uses).toBe(1);
  });

  it('wipes the secret it was handed once the check is done', async () => {
    const secrets: SecretBytes[] = [];
    const keeping: AccessKeyLookup = async (id) => {
      const result = await lookup(id);
      secrets.push(result.secretAccessKey);
      return result;
    };
    await verifySigV4(await signed(), { region: 'us-east-1', lookup: keeping, now: () => NOW });
    await verifySigV4(await signed({ secret: 'wrong' }), {
      region: 'us-east-1',
      lookup: keeping,
      now: () => NOW,
    }).catch(() => undefined);
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) expect(() => exposeSecret(secret)).toThrow(/wipe/);
  });
});
