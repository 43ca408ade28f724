// What the server logs: JSON lines with a request id on each request line, and never a token, an Authorization
// header, a body or a plaintext, whatever the request did (token creation, encrypt/decrypt, errors).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/api/plugins/logger.js';
import { b64, bearer, openTestApp, type TestApp } from './helpers.js';

describe('logging', () => {
  const lines: string[] = [];
  let t: TestApp;
  beforeAll(async () => {
    const logger = createLogger({ level: 'trace', stream: { write: (line: string) => void lines.push(line) } });
    t = await openTestApp({ logger });
  });
  afterAll(async () => t.cleanup());

  it('has a request id on every request line and no token, header or plaintext anywhere', async () => {
    const plaintext = randomBytes(48);
    const secretText = `secret-${randomBytes(8).toString('hex')}`;
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;

    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: bearer(t.admin),
      payload: { roles: ['key-user'] },
    });
    const { token } = created.json();
    const enc = await t.app.inject({
      method: 'POST',
      url: `/v1/keys/${keyId}/encrypt`,
      headers: bearer(token),
      payload: { plaintext: b64(plaintext) },
    });
    const dec = await t.app.inject({
      method: 'POST',
      url: '/v1/decrypt',
      headers: bearer(token),
      payload: { ciphertextBlob: enc.json().ciphertextBlob },
    });
    expect(dec.json().plaintext).toBe(b64(plaintext));
    const dataKey = await t.app.inject({
      method: 'POST',
      url: `/v1/keys/${keyId}/data-key`,
      headers: bearer(token),
      payload: { keySpec: 'AES_256' },
    });
    // Failures: bad JSON carrying a secret, an oversized plaintext, a bad token, a denied call.
    await t.app.inject({
      method: 'POST',
      url: `/v1/keys/${keyId}/encrypt`,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: `{"plaintext": "${secretText}`,
    });
    await t.app.inject({
      method: 'POST',
      url: `/v1/keys/${keyId}/encrypt`,
      headers: bearer(token),
      payload: { plaintext: b64(Buffer.concat([plaintext, Buffer.alloc(5000)])) },
    });
    await t.app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(`${token.slice(0, -2)}xx`) });
    await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: bearer(token),
      payload: { description: secretText },
    });

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    const forbidden = [
      token,
      t.admin,
      token.slice(4),
      t.admin.slice(4),
      secretText,
      b64(plaintext),
      plaintext.toString('hex'),
      dataKey.json().plaintext,
      'Bearer',
      'authorization',
    ];
    for (const needle of forbidden) expect(log, `log contains ${needle.slice(0, 12)}…`).not.toContain(needle);

    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = parsed.filter(
      (entry) => entry.req !== undefined || entry.res !== undefined || entry.code !== undefined,
    );
    expect(requestLines.length).toBeGreaterThan(10);
    for (const entry of requestLines) expect(entry.requestId, JSON.stringify(entry)).toEqual(expect.any(String));
    // The request id in the log is the one the client saw.
    expect(parsed.some((entry) => entry.requestId === dec.headers['x-request-id'])).toBe(true);
  });
});
