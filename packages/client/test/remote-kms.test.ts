// RemoteKms against a fake fetch: request building from the ROUTES table, wire decoding, error rebuilding,
// timeouts and the retry policy. The real server is tested through the contract suite.
import { describe, expect, it } from 'vitest';
import {
  InternalError,
  InvalidCiphertextError,
  NotFoundError,
  OPERATIONS,
  ROUTES,
  RemoteKms,
  SAFE_TO_REPEAT,
  UnavailableError,
  ValidationError,
  pathParams,
  type OperationMethod,
  type RemoteKmsOptions,
} from '../src/index.js';
import { backoffDelay } from '../src/retry.js';
import { errorReply, fakeFetch, json, never, networkError, type FakeFetch, type Handler } from './fake-server.js';
import { kmsRejection } from '../../contract/test/helpers/expect-kms-error.js';

const ENDPOINT = 'http://127.0.0.1:7300';
const TOKEN = 'cst_test-token';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:eu-west-1:111122223333:key/${KEY_ID}`;

function remote(handler: Handler, options: Partial<RemoteKmsOptions> = {}): { kms: RemoteKms; fake: FakeFetch } {
  const fake = fakeFetch(handler);
  const kms = new RemoteKms({
    endpoint: ENDPOINT,
    token: TOKEN,
    fetch: fake.fetch,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    ...options,
  });
  return { kms, fake };
}

const keyMetadata = {
  awsAccountId: '111122223333',
  keyId: KEY_ID,
  arn: KEY_ARN,
  creationDate: '2030-01-02T03:04:05.678Z',
  enabled: true,
  description: '',
  keyUsage: 'ENCRYPT_DECRYPT',
  keyState: 'Enabled',
  origin: 'AWS_KMS',
  keyManager: 'CUSTOMER',
  customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
  keySpec: 'SYMMETRIC_DEFAULT',
  multiRegion: false,
  exportable: false,
  currentKeyVersion: 1,
  protectionLevel: 'SOFTWARE',
  usageConstraints: { useCount: 0, notAfter: '2031-01-01T00:00:00.000Z' },
};

describe('RemoteKms methods', () => {
  it('has one method per operation of the contract, generated on the prototype, and close', () => {
    const { kms } = remote(() => json({}));
    for (const operation of Object.keys(OPERATIONS)) {
      expect(typeof (kms as unknown as Record<string, unknown>)[operation], operation).toBe('function');
      expect(Object.keys(kms)).not.toContain(operation);
    }
    expect(RemoteKms.prototype.encrypt.name).toBe('encrypt');
    expect(typeof kms.close).toBe('function');
  });

  it('sends each operation to the method and path of its ROUTES row', async () => {
    const { kms, fake } = remote(() => json({}));
    for (const operation of Object.keys(ROUTES) as OperationMethod[]) {
      const route = ROUTES[operation];
      const inputs = Object.fromEntries(pathParams(route).map((p) => [p, p === 'keyId' ? KEY_ARN : `alias/${p}`]));
      const call = (kms as unknown as Record<string, (input: unknown) => Promise<unknown>>)[operation]!;
      await call.call(kms, inputs);
      const request = fake.requests.at(-1)!;
      const expected = route.path.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(String(inputs[p])));
      expect(request.method, operation).toBe(route.method);
      expect(request.url.pathname, operation).toBe(expected);
    }
    expect(fake.requests).toHaveLength(Object.keys(ROUTES).length);
  });
});

describe('RemoteKms requests', () => {
  it("URL-encodes path parameters: an alias with '/' and an ARN with ':' stay one path segment", async () => {
    const { kms, fake } = remote(() => json({ keyMetadata }));
    await kms.describeKey({ keyId: 'alias/orders/eu-west' });
    await kms.describeKey({ keyId: KEY_ARN });
    await kms.deleteAlias({ aliasName: 'alias/team/orders' });
    const [byAlias, byArn, deleted] = fake.requests.map((r) => r.url.href);
    expect(byAlias).toBe(`${ENDPOINT}/v1/keys/alias%2Forders%2Feu-west`);
    expect(byArn).toBe(`${ENDPOINT}/v1/keys/arn%3Aaws%3Akms%3Aeu-west-1%3A111122223333%3Akey%2F${KEY_ID}`);
    expect(deleted).toBe(`${ENDPOINT}/v1/aliases/alias%2Fteam%2Forders`);
    expect(fake.requests[2]!.method).toBe('DELETE');
  });

  it('keeps a base path of the endpoint and drops its trailing slash', async () => {
    const { kms, fake } = remote(() => json({ keys: [], truncated: false }), {
      endpoint: 'https://kms.example.com/custos/',
    });
    await kms.listKeys();
    expect(fake.requests[0]!.url.href).toBe('https://kms.example.com/custos/v1/keys');
  });

  it('GET sends the other fields as the query string, skipping undefined ones, with no body', async () => {
    const { kms, fake } = remote(() => json({ rotations: [], truncated: false }));
    // @ts-expect-error -- exactOptionalPropertyTypes forbids this in TypeScript; a JavaScript caller may still pass undefined
    await kms.listKeyRotations({ keyId: 'alias/a', limit: 10, marker: 'm/1', includeKeyMaterial: undefined });
    const request = fake.requests[0]!;
    expect(request.method).toBe('GET');
    expect(request.url.pathname).toBe('/v1/keys/alias%2Fa/rotations');
    expect([...request.url.searchParams]).toEqual([
      ['limit', '10'],
      ['marker', 'm/1'],
    ]);
    expect(request.body).toBeUndefined();
    expect(request.headers.get('content-type')).toBeNull();
  });

  it('GET repeats the key of an array field in the query string', async () => {
    const { kms, fake } = remote(() => json({ keyMetadata }));
    await kms.describeKey({ keyId: KEY_ID, grantTokens: ['g1', 'g2'] });
    expect(fake.requests[0]!.url.searchParams.getAll('grantTokens')).toEqual(['g1', 'g2']);
  });

  it('listKeys() with no input sends no query string', async () => {
    const { kms, fake } = remote(() => json({ keys: [], truncated: false }));
    await kms.listKeys();
    expect(fake.requests[0]!.url.search).toBe('');
  });

  it('POST sends the other fields as JSON in the wire form: bytes as base64, dates as ISO 8601, no path fields', async () => {
    const { kms, fake } = remote(() =>
      json({ ciphertextBlob: 'AAE=', keyId: KEY_ARN, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }),
    );
    await kms.encrypt({
      keyId: 'alias/a',
      plaintext: new Uint8Array([0, 1, 255]),
      encryptionContext: { tenant: 'acme' },
    });
    const request = fake.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(request.body!)).toEqual({ plaintext: 'AAH/', encryptionContext: { tenant: 'acme' } });
  });

  it('PUT sends dates as ISO strings and keeps null (which clears a constraint)', async () => {
    const { kms, fake } = remote(() => json({ keyMetadata }));
    await kms.updateKeyConstraints({ keyId: KEY_ID, notAfter: new Date('2031-01-01T00:00:00Z'), maxUses: null });
    expect(fake.requests[0]!.method).toBe('PUT');
    expect(JSON.parse(fake.requests[0]!.body!)).toEqual({ notAfter: '2031-01-01T00:00:00.000Z', maxUses: null });
  });

  it('sends the token as a bearer token, and caller.requestId as x-request-id; principal and roles are not sent', async () => {
    const { kms, fake } = remote(() => json({ plaintext: 'AQI=' }));
    await kms.generateRandom(
      { numberOfBytes: 2 },
      { principal: 'someone-else', roles: ['admin'], requestId: 'req-42' },
    );
    const request = fake.requests[0]!;
    expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(request.headers.get('x-request-id')).toBe('req-42');
    const headerText: string[] = [];
    request.headers.forEach((value, name) => headerText.push(`${name}: ${value}`));
    const everything = `${request.url.href} ${request.body} ${headerText.join(' ')}`;
    expect(everything).not.toContain('someone-else');
  });

  it('sends a fresh UUID as x-request-id when the caller gives none', async () => {
    const { kms, fake } = remote(() => json({ plaintext: 'AQI=' }));
    await kms.generateRandom({ numberOfBytes: 2 });
    await kms.generateRandom({ numberOfBytes: 2 });
    const [a, b] = fake.requests.map((r) => r.headers.get('x-request-id'));
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });

  it('refuses a missing or empty path parameter with VALIDATION_ERROR without sending anything', async () => {
    const { kms, fake } = remote(() => json({}));
    const error = await kmsRejection(kms.encrypt({ plaintext: new Uint8Array([1]) } as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect((await kmsRejection(kms.describeKey({ keyId: '' }))).code).toBe('VALIDATION_ERROR');
    expect(fake.requests).toHaveLength(0);
  });

  it("answers a key id of '.' or '..' (which a URL cannot carry as a segment) with KEY_NOT_FOUND, as LocalKms does", async () => {
    const { kms, fake } = remote(() => json({}));
    for (const keyId of ['.', '..']) {
      const error = await kmsRejection(kms.describeKey({ keyId }));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.code).toBe('KEY_NOT_FOUND');
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('RemoteKms replies', () => {
  it('decodes base64 to Uint8Array and ISO strings to Date, by the response schema', async () => {
    const { kms } = remote(() => json({ keyMetadata }));
    const { keyMetadata: meta } = await kms.describeKey({ keyId: KEY_ID });
    expect(meta.creationDate).toBeInstanceOf(Date);
    expect(meta.creationDate.toISOString()).toBe('2030-01-02T03:04:05.678Z');
    expect(meta.usageConstraints.notAfter).toBeInstanceOf(Date);
    expect(meta.keyState).toBe('Enabled');

    const random = remote(() => json({ plaintext: 'AAH/' }));
    const { plaintext } = await random.kms.generateRandom({ numberOfBytes: 3 });
    expect(plaintext).toBeInstanceOf(Uint8Array);
    expect([...plaintext]).toEqual([0, 1, 255]);
    // A buffer of its own, as LocalKms returns it: not a slice of Node's pool, which other replies share.
    expect([plaintext.byteOffset, plaintext.buffer.byteLength]).toEqual([0, 3]);
  });

  it('takes an empty 2xx body (204) as {}', async () => {
    const { kms } = remote(() => new Response(null, { status: 204 }));
    await expect(kms.createAlias({ aliasName: 'alias/a', targetKeyId: KEY_ID })).resolves.toEqual({});
  });

  it('a 2xx reply that is not JSON, or has malformed base64, fails with INTERNAL', async () => {
    const html = remote(() => new Response('<html>', { status: 200 }));
    expect((await kmsRejection(html.kms.generateRandom({ numberOfBytes: 1 }))).code).toBe('INTERNAL');
    const bad = remote(() => json({ plaintext: '!!!' }));
    const error = await kmsRejection(bad.kms.generateRandom({ numberOfBytes: 1 }));
    expect(error).toBeInstanceOf(InternalError);
    expect(error.code).toBe('INTERNAL');
  });
});

describe('RemoteKms errors', () => {
  it('rebuilds the class and code of the error reply, with its requestId', async () => {
    const { kms } = remote(() => errorReply(404, 'KEY_NOT_FOUND', `key not found: ${KEY_ID}`, 'req-from-server'));
    const error = await kmsRejection(kms.describeKey({ keyId: KEY_ID }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe('KEY_NOT_FOUND');
    expect(error.message).toBe(`key not found: ${KEY_ID}`);
    expect(error.requestId).toBe('req-from-server');
  });

  it('INVALID_CIPHERTEXT keeps its one fixed message whatever the server says', async () => {
    const { kms } = remote(() => errorReply(400, 'INVALID_CIPHERTEXT', 'tag mismatch'));
    const error = await kmsRejection(kms.decrypt({ ciphertextBlob: new Uint8Array([1]) }));
    expect(error).toBeInstanceOf(InvalidCiphertextError);
    expect(error.message).toBe(InvalidCiphertextError.MESSAGE);
  });

  it("takes the requestId from the reply's x-request-id header, else the one it sent", async () => {
    const fromHeader = remote(() =>
      json({ error: { code: 'ACCESS_DENIED', message: 'no' } }, 403, { 'x-request-id': 'hdr-1' }),
    );
    expect((await kmsRejection(fromHeader.kms.listKeys())).requestId).toBe('hdr-1');
    const sent = remote(() => json({ error: { code: 'ACCESS_DENIED', message: 'no' } }, 403));
    const error = await kmsRejection(sent.kms.listKeys(undefined, { principal: 'p', roles: [], requestId: 'mine' }));
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.requestId).toBe('mine');
  });

  it('an unknown code becomes INTERNAL; a reply without a Custos error gives INTERNAL naming the status', async () => {
    const unknown = remote(() => errorReply(418, 'TEAPOT', 'short and stout'));
    expect((await kmsRejection(unknown.kms.listKeys())).code).toBe('INTERNAL');
    const html = remote(() => new Response('<h1>Internal Server Error</h1>', { status: 500 }));
    const error = await kmsRejection(html.kms.listKeys());
    expect(error).toBeInstanceOf(InternalError);
    expect(error.message).toContain('500');
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const other = remote(() => json({ message: 'not ours' }, 401));
    expect((await kmsRejection(other.kms.listKeys())).message).toContain('401');
  });

  it('does not follow redirects (which would resend the token and body elsewhere): a 307 fails with INTERNAL', async () => {
    const { kms, fake } = remote(
      () => new Response(null, { status: 307, headers: { location: 'http://elsewhere.example/' } }),
    );
    const error = await kmsRejection(kms.encrypt({ keyId: KEY_ID, plaintext: new Uint8Array([1]) }));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain('307');
    expect(fake.requests[0]!.redirect).toBe('manual');
    expect(fake.requests).toHaveLength(1);
  });

  it('a 502/503/504 without a Custos error (a proxy speaking) gives UNAVAILABLE', async () => {
    const { kms } = remote(() => new Response('Bad Gateway', { status: 502 }));
    const error = await kmsRejection(kms.createKey({}));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.code).toBe('UNAVAILABLE');
  });

  it('a timeout fails with UNAVAILABLE naming the time allowed', async () => {
    const { kms, fake } = remote(never, { timeoutMs: 50, retries: 0 });
    const started = Date.now();
    const error = await kmsRejection(kms.encrypt({ keyId: KEY_ID, plaintext: new Uint8Array([1]) }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('50 ms');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fake.requests[0]!.signal).toBeInstanceOf(AbortSignal);
  });

  it('a network failure fails with UNAVAILABLE, keeping the cause', async () => {
    const { kms } = remote(() => Promise.reject(networkError('ECONNREFUSED')), { retries: 0 });
    const error = await kmsRejection(kms.listKeys());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.message).not.toContain(TOKEN);
  });
});

describe('RemoteKms retries', () => {
  const ok = json({ ciphertextBlob: 'AAE=', keyId: KEY_ARN, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  const encrypt = (kms: RemoteKms) => kms.encrypt({ keyId: KEY_ID, plaintext: new Uint8Array([1]) });

  it('retries a safe operation after a network error, with the same request id, and succeeds', async () => {
    const { kms, fake } = remote((_, i) => (i === 0 ? Promise.reject(networkError()) : ok.clone()));
    const result = await encrypt(kms);
    expect(result.ciphertextBlob).toBeInstanceOf(Uint8Array);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]!.headers.get('x-request-id')).toBe(fake.requests[1]!.headers.get('x-request-id'));
  });

  it('retries a safe operation after a timeout and after 503, and succeeds', async () => {
    const { kms, fake } = remote(
      (r, i) => (i === 0 ? never(r) : i === 1 ? new Response('', { status: 503 }) : ok.clone()),
      { timeoutMs: 30 },
    );
    await encrypt(kms);
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after 1 + retries tries, with UNAVAILABLE', async () => {
    const { kms, fake } = remote(() => Promise.reject(networkError()), { retries: 3 });
    const error = await kmsRejection(kms.getPublicKey({ keyId: KEY_ID }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('4 tries');
    expect(fake.requests).toHaveLength(4);
  });

  it('gives up with the last error reply when 503s continue', async () => {
    const { kms, fake } = remote(() => errorReply(503, 'UNAVAILABLE', 'store unreachable', 'r-503'));
    const error = await kmsRejection(kms.listKeys());
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.requestId).toBe('r-503');
    expect(fake.requests).toHaveLength(3);
  });

  it('never retries an unsafe operation (createKey): one try, and the error says the outcome is unknown', async () => {
    const { kms, fake } = remote(() => Promise.reject(networkError()));
    const error = await kmsRejection(kms.createKey({}));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('may or may not');
    expect(fake.requests).toHaveLength(1);

    const busy = remote(() => new Response('', { status: 503 }));
    await kmsRejection(busy.kms.createKey({}));
    expect(busy.fake.requests).toHaveLength(1);
  });

  it('never retries an HTTP error reply other than 502/503/504, even for a safe operation', async () => {
    for (const [status, code] of [
      [400, 'VALIDATION_ERROR'],
      [429, 'LIMIT_EXCEEDED'],
      [500, 'INTERNAL'],
    ] as const) {
      const { kms, fake } = remote(() => errorReply(status, code, 'no'));
      expect((await kmsRejection(encrypt(kms))).code).toBe(code);
      expect(fake.requests).toHaveLength(1);
    }
  });

  it('with retries 0, a safe operation is tried once', async () => {
    const { kms, fake } = remote(() => Promise.reject(networkError()), { retries: 0 });
    await kmsRejection(encrypt(kms));
    expect(fake.requests).toHaveLength(1);
  });

  it('backoff is exponential with full jitter, and bounded by retryMaxDelayMs', () => {
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const ceiling = Math.min(2000, 100 * 2 ** attempt);
      expect(backoffDelay(attempt, 100, 2000, () => 0)).toBe(0);
      expect(backoffDelay(attempt, 100, 2000, () => 0.999999)).toBeLessThan(ceiling);
      expect(backoffDelay(attempt, 100, 2000, () => 0.999999)).toBeGreaterThanOrEqual(ceiling - 1);
      for (let i = 0; i < 50; i += 1) expect(backoffDelay(attempt, 100, 2000)).toBeLessThanOrEqual(2000);
    }
  });

  it('the waits between tries stay within the bound', async () => {
    const { kms, fake } = remote(() => Promise.reject(networkError()), {
      retries: 5,
      retryBaseDelayMs: 20,
      retryMaxDelayMs: 40,
    });
    const started = Date.now();
    await kmsRejection(kms.listKeys());
    expect(fake.requests).toHaveLength(6);
    expect(Date.now() - started).toBeLessThan(5 * 40 + 500);
  });

  it('SAFE_TO_REPEAT marks every GET route safe, and createKey, createAlias, rotateKeyOnDemand, scheduleKeyDeletion, importKeyMaterial, deriveKey and createToken unsafe', () => {
    for (const [operation, route] of Object.entries(ROUTES)) {
      if (route.method === 'GET') expect(SAFE_TO_REPEAT[operation as OperationMethod], operation).toBe(true);
    }
    for (const operation of [
      'createKey',
      'createAlias',
      'rotateKeyOnDemand',
      'scheduleKeyDeletion',
      'importKeyMaterial',
      'deriveKey',
      'createToken',
    ] as const) {
      expect(SAFE_TO_REPEAT[operation], operation).toBe(false);
    }
    const safe = Object.entries(SAFE_TO_REPEAT)
      .filter(([op, yes]) => yes && ROUTES[op as OperationMethod].method !== 'GET')
      .map(([op]) => op);
    expect(safe.sort()).toEqual(
      [
        'encrypt',
        'decrypt',
        'reEncrypt',
        'generateDataKey',
        'generateDataKeyWithoutPlaintext',
        'generateDataKeyPair',
        'generateDataKeyPairWithoutPlaintext',
        'generateRandom',
        'sign',
        'verify',
        'generateMac',
        'verifyMac',
        'encapsulate',
        'decapsulate',
        'deriveSharedSecret',
        'enableKey',
        'disableKey',
        'updateKeyDescription',
        'putKeyPolicy',
        'updateKeyConstraints',
        'updateMinDecryptionVersion',
        'tagResource',
        'untagResource',
        'pruneAuditRecords',
        'exportAuditRecords',
        'createCsr',
        'setKeyCertificate',
        'createSelfSignedCertificate',
        'issueCertificate',
        'verifyCertificateChain',
        'connectCustomKeyStore',
        'disconnectCustomKeyStore',
        'updateCustomKeyStore',
        // JWK and JOSE: fresh signatures and ciphertexts, checks, and a flag set to a value.
        'signJws',
        'signJwt',
        'verifyJws',
        'signJose',
        'verifyJose',
        'encryptJwe',
        'decryptJwe',
        'updateKeyPublishJwk',
        'attestKey',
        'createAttestationCsr',
        'setAttestationChain',
        // Keyrings: a put of the same values, a CSR, uploads found again by thumbprint, fresh ciphertexts and a read.
        'putKeyringPolicy',
        'createKeyringCsr',
        'uploadKeyringCertificate',
        'uploadPartnerCertificate',
        'keyringEncrypt',
        'keyringDecrypt',
        // Batches: only cryptographic operations, each safe to repeat.
        'batch',
      ].sort(),
    );
  });
});

describe('RemoteKms lifecycle and options', () => {
  it('close() resolves; later calls reject with INTERNAL and send nothing', async () => {
    const { kms, fake } = remote(() => json({ keys: [], truncated: false }));
    await kms.listKeys();
    await expect(kms.close()).resolves.toBeUndefined();
    await expect(kms.close()).resolves.toBeUndefined();
    const error = await kmsRejection(kms.listKeys());
    expect(error.code).toBe('INTERNAL');
    expect(fake.requests).toHaveLength(1);
  });

  it('refuses a malformed endpoint, a non-http one, a missing token and bad numbers with VALIDATION_ERROR', () => {
    const bad: Partial<RemoteKmsOptions>[] = [
      { endpoint: 'not a url' },
      { endpoint: 'ftp://host' },
      { endpoint: 'http://host/?q=1' },
      { endpoint: 'http://user:pw@host' },
      { token: '' },
      { token: 'has space' },
      { token: undefined as unknown as string },
      { timeoutMs: 0 },
      { retries: -1 },
      { retries: 1.5 },
    ];
    for (const options of bad) {
      expect(() => new RemoteKms({ endpoint: ENDPOINT, token: TOKEN, ...options }), JSON.stringify(options)).toThrow(
        ValidationError,
      );
    }
  });
});
