// Key PINs over HTTP against a real server: the body field `pin` and the X-Custos-Key-Pin header on /v1 (statuses,
// codes), POST /v1/keys/{keyId}/unblock, RemoteKms sending the header (caller or default), the AWS SDK with the header
// added by a middleware and signed (refused unsigned), and no PIN or PUK in the server's log lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { RemoteKms } from '@custos/client';
import { KeyPinError, type PinPolicy } from '@custos/contract';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { expectAws, startAwsServer, type AwsTestServer } from '../aws/helpers.js';

const POLICY: PinPolicy = { minLength: 4, maxLength: 12, format: 'alphanumeric', retryLimit: 3 };
const PIN = 'Pin4Http';
const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('key PINs over HTTP', () => {
  const lines: string[] = [];
  let server: AwsTestServer;
  let userToken: string;
  beforeAll(async () => {
    server = await startAwsServer({
      logger: { level: 'trace', stream: { write: (line: string) => void lines.push(line) } },
    });
    userToken = (await server.admin.createToken({ roles: ['key-user'], principal: 'app' })).token;
  });
  afterAll(async () => server?.close());

  async function pinnedKey(pin = PIN): Promise<{ keyId: string; puk: string }> {
    const created = await server.admin.createKey({ pinPolicy: POLICY, pin });
    return { keyId: created.keyMetadata.keyId, puk: created.puk! };
  }

  /** POST to /v1 as the key user; `body` as JSON. */
  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(server.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${userToken}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { error?: { code: string; message: string } } & Record<string, unknown>;
    return { status: response.status, code: json.error?.code, json };
  }
  const encrypt = (keyId: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    post(`/v1/keys/${keyId}/encrypt`, { plaintext: b64('hello'), ...extra }, headers);

  describe('/v1', () => {
    it('takes the PIN from the body field pin or the X-Custos-Key-Pin header', async () => {
      const { keyId } = await pinnedKey();
      expect(await encrypt(keyId)).toMatchObject({ status: 403, code: 'KEY_PIN_REQUIRED' });
      expect((await encrypt(keyId, { pin: PIN })).status).toBe(200);
      expect((await encrypt(keyId, {}, { 'x-custos-key-pin': PIN })).status).toBe(200);
      expect((await encrypt(keyId, { pin: PIN }, { 'x-custos-key-pin': PIN })).status).toBe(200);
    });

    it('refuses a body pin and header that differ, or a pin that is not a string, before any try is counted', async () => {
      const { keyId } = await pinnedKey();
      expect(await encrypt(keyId, { pin: PIN }, { 'x-custos-key-pin': 'Other1' })).toMatchObject({
        status: 400,
        code: 'VALIDATION_ERROR',
      });
      expect(await encrypt(keyId, { pin: 1234 })).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
      const wrong = await encrypt(keyId, { pin: 'Wrong1' });
      expect(wrong).toMatchObject({ status: 403, code: 'KEY_PIN_INVALID' });
      expect(wrong.json.error?.message).toMatch(/2 tries left/);
    });

    it('answers 423 KEY_PIN_BLOCKED at the limit; unblock by admin (no body) and by the PUK (key user)', async () => {
      const { keyId, puk } = await pinnedKey();
      for (let i = 0; i < POLICY.retryLimit; i++) await encrypt(keyId, { pin: 'Wrong1' });
      expect(await encrypt(keyId, { pin: PIN })).toMatchObject({ status: 423, code: 'KEY_PIN_BLOCKED' });
      expect(await post(`/v1/keys/${keyId}/unblock`, {})).toMatchObject({ status: 403, code: 'ACCESS_DENIED' });
      await server.admin.unblockKeyPin({ keyId });
      expect((await encrypt(keyId, { pin: PIN })).status).toBe(200);

      for (let i = 0; i < POLICY.retryLimit; i++) await encrypt(keyId, { pin: 'Wrong1' });
      expect(await post(`/v1/keys/${keyId}/unblock`, { puk: '0'.repeat(20) })).toMatchObject({
        status: 403,
        code: 'KEY_PUK_INVALID',
      });
      expect((await post(`/v1/keys/${keyId}/unblock`, { puk, newPin: 'NewPin77' })).status).toBe(200);
      expect((await encrypt(keyId, { pin: 'NewPin77' })).status).toBe(200);
    });
  });

  describe('RemoteKms', () => {
    it("sends the caller's keyPin, or the default it was made with, as X-Custos-Key-Pin", async () => {
      const { keyId } = await pinnedKey();
      const plain = new RemoteKms({ endpoint: server.url, token: userToken });
      const error = await expectKmsError(plain.encrypt({ keyId, plaintext: Buffer.from('x') }), 'KEY_PIN_REQUIRED');
      expect(error).toBeInstanceOf(KeyPinError);
      const caller = { principal: 'ignored', roles: [], keyPin: PIN } as const;
      const { ciphertextBlob } = await plain.encrypt({ keyId, plaintext: Buffer.from('x') }, caller);
      await expectKmsError(plain.decrypt({ ciphertextBlob }, { ...caller, keyPin: 'Wrong1' }), 'KEY_PIN_INVALID');
      const pinned = new RemoteKms({ endpoint: server.url, token: userToken, keyPin: PIN });
      expect((await pinned.decrypt({ ciphertextBlob })).plaintext).toEqual(new Uint8Array(Buffer.from('x')));
      expect(() => new RemoteKms({ endpoint: server.url, token: userToken, keyPin: 'two words' })).toThrow(
        /visible ASCII/,
      );
    });
  });

  describe('the AWS protocol', () => {
    /** An SDK client that adds X-Custos-Key-Pin before signing (build step) or after it (deserialize step). */
    async function client(pin: string, signed: boolean): Promise<KMSClient> {
      const kms = server.client(await server.accessKey(['key-user'], 'aws-app'));
      const addPin =
        <A extends { request: unknown }, R>(next: (args: A) => Promise<R>) =>
        async (args: A): Promise<R> => {
          (args.request as { headers: Record<string, string> }).headers['x-custos-key-pin'] = pin;
          return next(args);
        };
      if (signed) kms.middlewareStack.add(addPin, { step: 'build', name: 'custosKeyPin' });
      else kms.middlewareStack.add(addPin, { step: 'deserialize', name: 'custosKeyPin' });
      return kms;
    }

    it('takes the signed header, and refuses it unsigned with IncompleteSignatureException', async () => {
      const { keyId } = await pinnedKey();
      const Plaintext = Buffer.from('aws');
      const good = await client(PIN, true);
      const out = await good.send(new EncryptCommand({ KeyId: keyId, Plaintext }));
      expect(out.CiphertextBlob?.length).toBeGreaterThan(0);
      await expectAws(
        (await client('Wrong1', true)).send(new EncryptCommand({ KeyId: keyId, Plaintext })),
        'AccessDeniedException',
      );
      const bare = server.client(await server.accessKey(['key-user'], 'aws-app'));
      await expectAws(bare.send(new EncryptCommand({ KeyId: keyId, Plaintext })), 'AccessDeniedException');
      await expectAws(
        (await client(PIN, false)).send(new EncryptCommand({ KeyId: keyId, Plaintext })),
        'IncompleteSignatureException',
      );
      // One wrong try so far (no PIN counts nothing; the unsigned request never reached the key): then blocked.
      const wrong = await client('Wrong1', true);
      await expectAws(wrong.send(new EncryptCommand({ KeyId: keyId, Plaintext })), 'AccessDeniedException');
      await expectAws(wrong.send(new EncryptCommand({ KeyId: keyId, Plaintext })), 'KMSInvalidStateException');
    });
  });

  it('never logs a PIN or a PUK', async () => {
    const { keyId, puk } = await pinnedKey('LogMe9876');
    await encrypt(keyId, { pin: 'LogMe9876' });
    await encrypt(keyId, {}, { 'x-custos-key-pin': 'LogMe9875' });
    await post(`/v1/keys/${keyId}/unblock`, { puk, newPin: 'LogMe5432' });
    const all = lines.join('\n');
    expect(all).toContain(keyId);
    for (const secret of ['LogMe9876', 'LogMe9875', 'LogMe5432', puk]) expect(all).not.toContain(secret);
  });
});
