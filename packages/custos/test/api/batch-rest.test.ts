// Batch over HTTP against a real server: POST /v1/batch with JSON (bytes as base64), RemoteKms.batch, the receipt
// header, statuses of a refused envelope, a wire-level error (bad base64) refusing the whole request, and `custos
// batch` (a file or stdin, --strict) in-process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { custosAgainst } from '../helpers/cli-in-process.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('Batch over HTTP', () => {
  let dir: string;
  let server: RunningServer;
  let admin: RemoteKms;
  let keyId: string;
  const custos = custosAgainst(() => server);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-batch-'));
    server = await startServer({ dataDir: join(dir, 'data'), listen: '127.0.0.1:0', logger: false });
    admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
    keyId = (await admin.createKey({})).keyMetadata.keyId;
  });
  afterAll(async () => {
    await admin?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function post(body: unknown) {
    const response = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken!}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, receipt: response.headers.get('x-custos-receipt'), json: await response.json() };
  }

  it('POST /v1/batch: base64 in, base64 out, each result under its operation, one receipt', async () => {
    const { status, receipt, json } = await post({
      items: [
        { encrypt: { keyId, plaintext: b64('one') } },
        { encrypt: { keyId: 'alias/missing', plaintext: b64('two') } },
        { generateDataKey: { keyId, numberOfBytes: 32 } },
      ],
    });
    expect(status).toBe(200);
    expect(receipt).toMatch(/^r1\./);
    const { results } = json as {
      results: [
        { encrypt: { ciphertextBlob: string } },
        { error: { code: string; operation: string } },
        { generateDataKey: { plaintext: string } },
      ];
    };
    expect(results[1].error).toMatchObject({ operation: 'encrypt', code: 'ALIAS_NOT_FOUND' });
    const blob = new Uint8Array(Buffer.from(results[0].encrypt.ciphertextBlob, 'base64'));
    expect(Buffer.from((await admin.decrypt({ ciphertextBlob: blob })).plaintext).toString()).toBe('one');
    expect(Buffer.from(results[2].generateDataKey.plaintext, 'base64')).toHaveLength(32);
  });

  it('RemoteKms.batch carries bytes both ways', async () => {
    const plaintext = new TextEncoder().encode('remote');
    const { results } = await admin.batch({ items: [{ encrypt: { keyId, plaintext } }] });
    const again = await admin.batch({ items: [{ decrypt: { ciphertextBlob: results[0]!.encrypt!.ciphertextBlob } }] });
    expect(again.results[0]!.decrypt!.plaintext).toEqual(plaintext);
  });

  it('answers 400 VALIDATION_ERROR for a refused envelope or bytes that are not base64 (the body is malformed)', async () => {
    for (const body of [
      { items: [] },
      { items: [{ createKey: {} }] },
      { items: [{ encrypt: { keyId, plaintext: b64('x') }, decrypt: {} }] },
      { items: [{ encrypt: { keyId, plaintext: 'not base64!' } }] },
      { nothing: true },
    ]) {
      const { status, json } = await post(body);
      expect([status, (json as { error: { code: string } }).error.code]).toEqual([400, 'VALIDATION_ERROR']);
    }
  });

  it('custos batch: a file or stdin (the bare array too) → the results as JSON; --strict fails when an item did', async () => {
    const file = join(dir, 'batch.json');
    await writeFile(file, JSON.stringify({ items: [{ encrypt: { keyId, plaintext: b64('cli') } }] }));
    const out = JSON.parse(await custos('batch', '--in', file)) as {
      results: { encrypt: { ciphertextBlob: string } }[];
    };
    const blob = out.results[0]!.encrypt.ciphertextBlob;
    await writeFile(
      file,
      JSON.stringify([{ decrypt: { ciphertextBlob: blob } }, { decrypt: { ciphertextBlob: b64('bad') } }]),
    );
    const mixed = JSON.parse(await custos('batch', '--in', file)) as {
      results: [{ decrypt: { plaintext: string } }, { error: { code: string } }];
    };
    expect(Buffer.from(mixed.results[0].decrypt.plaintext, 'base64').toString()).toBe('cli');
    expect(mixed.results[1].error.code).toBe('INVALID_CIPHERTEXT');
    await expect(custos('batch', '--in', file, '--strict')).rejects.toMatchObject({ code: 'BATCH_ITEMS_FAILED' });
    await writeFile(file, '{ not json');
    await expect(custos('batch', '--in', file)).rejects.toMatchObject({ code: 'USAGE' });
  });
});
