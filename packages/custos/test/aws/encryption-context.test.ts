// Encryption context strings must be well-formed UTF-16 (issue 12): a lone surrogate ("\ud800", "\udfff") has no
// UTF-8 form, so both became U+FFFD and authenticated as the same context. Refused with VALIDATION_ERROR on the
// native REST API, the AWS endpoint (ValidationException) and in LocalKms; astral characters (surrogate pairs) work.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@custos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalKms } from '../../src/index.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { signedFetch, startAwsServer, type AwsCredentials, type AwsTestServer } from './helpers.js';

const LONE = ['\ud800', '\udfff', 'a\udbffb', '\ud83d\ude00\ud800'];
/** Contexts carrying a lone surrogate in a value, and in a key. */
const BAD_CONTEXTS = LONE.flatMap((s) => [{ tenant: s }, { [s]: 'x' }]);
const EMOJI = { tenant: '\u{1F600}', ['\u{10FFFF}']: 'max' };

/** JSON with every non-ASCII code unit escaped, as a client whose JSON.stringify keeps lone surrogates sends it. */
const json = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

let server: AwsTestServer;
let user: AwsCredentials;
let keyId: string;

beforeAll(async () => {
  server = await startAwsServer();
  user = await server.accessKey(['key-user'], 'aws-app');
  keyId = (await server.admin.createKey({})).keyMetadata.keyId;
});

afterAll(async () => {
  await server?.close();
});

describe('encryption context with lone surrogates', () => {
  it('is refused by the REST API with 400 VALIDATION_ERROR; a surrogate pair round-trips', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
        body: json(body),
      });
    for (const context of BAD_CONTEXTS) {
      const res = await post(`/v1/keys/${keyId}/encrypt`, { plaintext: 'aGk=', encryptionContext: context });
      expect(res.status, json(context)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
    }
    const ok = await post(`/v1/keys/${keyId}/encrypt`, { plaintext: 'aGk=', encryptionContext: EMOJI });
    expect(ok.status).toBe(200);
    const { ciphertextBlob } = (await ok.json()) as { ciphertextBlob: string };
    const back = await post('/v1/decrypt', { ciphertextBlob, encryptionContext: EMOJI });
    expect(back.status).toBe(200);
    expect(((await back.json()) as { plaintext: string }).plaintext).toBe('aGk=');
  });

  it('is refused by the AWS endpoint with ValidationException (Encrypt, Decrypt, GenerateDataKey); a surrogate pair round-trips', async () => {
    const call = async (target: string, body: unknown) => {
      const res = await signedFetch(server.url, user, `TrentService.${target}`, json(body));
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    const { body: encrypted } = await call('Encrypt', { KeyId: keyId, Plaintext: 'aGk=' });
    for (const context of BAD_CONTEXTS) {
      for (const [target, body] of [
        ['Encrypt', { KeyId: keyId, Plaintext: 'aGk=', EncryptionContext: context }],
        ['Decrypt', { CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }],
        ['GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }],
      ] as const) {
        const res = await call(target, body);
        expect(res.status, `${target} ${json(context)}`).toBe(400);
        expect(res.body.__type).toBe('ValidationException');
      }
    }
    const ok = await call('Encrypt', { KeyId: keyId, Plaintext: 'aGk=', EncryptionContext: EMOJI });
    expect(ok.status).toBe(200);
    const back = await call('Decrypt', { CiphertextBlob: ok.body.CiphertextBlob, EncryptionContext: EMOJI });
    expect(back).toMatchObject({ status: 200, body: { Plaintext: 'aGk=' } });
  });

  it('is refused by LocalKms with VALIDATION_ERROR; "\\ud800" and "\\udfff" no longer stand for the same context', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-context-'));
    const kms = await LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0 });
    try {
      const { keyMetadata } = await kms.createKey({});
      const plaintext = new TextEncoder().encode('hi');
      for (const encryptionContext of BAD_CONTEXTS) {
        await expectKmsError(
          kms.encrypt({ keyId: keyMetadata.keyId, plaintext, encryptionContext }),
          'VALIDATION_ERROR',
          ValidationError,
        );
      }
      const { ciphertextBlob } = await kms.encrypt({ keyId: keyMetadata.keyId, plaintext, encryptionContext: EMOJI });
      await expectKmsError(
        kms.decrypt({ ciphertextBlob, encryptionContext: { tenant: '\ud800' } }),
        'VALIDATION_ERROR',
        ValidationError,
      );
      expect((await kms.decrypt({ ciphertextBlob, encryptionContext: EMOJI })).plaintext).toEqual(plaintext);
    } finally {
      await kms.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
