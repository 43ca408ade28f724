// Issue 12, receipts over the wire: a real server's successful replies carry `x-custos-receipt` on /v1 (raw HTTP and
// RemoteKms's Caller.onReceipt) and on the AWS protocol (the AWS SDK); the receipt names the reply's request id and
// verifies (VerifyAuditChain over HTTP, and `custos audit verify --receipt`, which exits non-zero for a receipt whose
// record was deleted or that was altered). A refused call's reply carries none.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/index.js';
import { startAwsServer, type AwsTestServer } from '../aws/helpers.js';
import { errorCode, runCli } from '../cli/helpers.js';

/** The payload of a receipt, read without its key (tests only). */
function payloadOf(receipt: string): unknown[] {
  return JSON.parse(Buffer.from(receipt.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown[];
}

/** The response headers of every call the client makes, newest last. */
function recordHeaders(client: KMSClient): Record<string, string>[] {
  const seen: Record<string, string>[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      seen.push((out.response as { headers: Record<string, string> }).headers);
      return out;
    },
    { step: 'deserialize' },
  );
  return seen;
}

let s: AwsTestServer;
let dataDir: string;
let keyId: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'custos-receipts-api-'));
  s = await startAwsServer({ dataDir });
  keyId = (await s.admin.createKey({})).keyMetadata.keyId;
});
afterAll(async () => {
  await s.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('receipts on the wire', { timeout: 60_000 }, () => {
  it('/v1: a successful reply carries a receipt of its record, naming its request id; a refused one none', async () => {
    const ok = await fetch(`${s.url}/v1/keys/${keyId}`, {
      headers: { authorization: `Bearer ${s.adminToken}`, 'x-request-id': 'rest-describe-1' },
    });
    expect(ok.status).toBe(200);
    const receipt = ok.headers.get('x-custos-receipt');
    expect(receipt).toMatch(/^r1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(payloadOf(receipt!).slice(2, 5)).toEqual(['rest-describe-1', 'DescribeKey', keyId]);
    const refused = await fetch(`${s.url}/v1/keys/alias%2Fnone`, {
      headers: { authorization: `Bearer ${s.adminToken}` },
    });
    expect(refused.status).toBe(404);
    expect(refused.headers.get('x-custos-receipt')).toBeNull();
    const verified = await s.admin.verifyAuditChain({ receipts: [receipt!] });
    expect(verified).toMatchObject({ ok: true, receipts: [{ status: 'valid', requestId: 'rest-describe-1' }] });
  });

  it('RemoteKms hands the reply header to Caller.onReceipt', async () => {
    const receipts: string[] = [];
    await s.admin.encrypt(
      { keyId, plaintext: new Uint8Array([1, 2]) },
      { principal: 'ignored', roles: [], requestId: 'remote-1', onReceipt: (r) => receipts.push(r) },
    );
    expect(receipts).toHaveLength(1);
    expect(payloadOf(receipts[0]!).slice(2, 4)).toEqual(['remote-1', 'Encrypt']);
  });

  it('AWS protocol: an SDK call gets a receipt naming x-amzn-RequestId; a denied call gets none', async () => {
    const user = await s.accessKey(['key-user']);
    const client = s.client(user);
    const headers = recordHeaders(client);
    await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array([3]) }));
    const reply = headers.at(-1)!;
    const receipt = reply['x-custos-receipt'];
    expect(receipt).toBeDefined();
    expect(payloadOf(receipt!).slice(2, 5)).toEqual([reply['x-amzn-requestid'], 'Encrypt', keyId]);
    const monitor = s.client(await s.accessKey(['monitor']));
    const monitorHeaders = recordHeaders(monitor);
    await expect(
      monitor.send(new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array([3]) })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(monitorHeaders.at(-1)?.['x-custos-receipt']).toBeUndefined();
    expect(await s.admin.verifyAuditChain({ receipts: [receipt!] })).toMatchObject({
      ok: true,
      receipts: [{ status: 'valid' }],
    });
  });

  it('custos audit verify --receipt: intact, altered (refused), record deleted (truncation proved)', async () => {
    const env = { CUSTOS_ENDPOINT: s.url, CUSTOS_TOKEN: s.adminToken };
    const receipts: string[] = [];
    const onReceipt = (r: string) => receipts.push(r);
    for (let i = 0; i < 3; i++)
      await s.admin.encrypt({ keyId, plaintext: new Uint8Array([i]) }, { principal: 'x', roles: [], onReceipt });
    const file = join(dataDir, 'receipts.txt');
    await writeFile(file, `# kept by a client\n${receipts.slice(1).join('\n')}\n`);

    const intact = await runCli(['audit', 'verify', '--receipt', receipts[0]!, '--receipt', `@${file}`], { env });
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout.toString()).toMatch(/valid .*record \d+ \(Encrypt[\s\S]*audit log intact/);

    const [, payload, mac] = receipts[0]!.split('.');
    const altered = `r1.${payload!}.${mac!.startsWith('A') ? 'B' : 'A'}${mac!.slice(1)}`;
    const refused = await runCli(['audit', 'verify', '--receipt', altered], { env });
    expect(refused.code).not.toBe(0);
    expect(errorCode(refused)).toBe('AUDIT_RECEIPT_INVALID');

    // The newest record deleted behind the server's back (after the last checkpoint: nothing else sees it).
    const [seq] = payloadOf(receipts[2]!) as [number];
    const store = await openSqliteStore(join(dataDir, 'custos.db'), { migrate: false });
    try {
      await store.db.deleteFrom('audit_log').where('seq', '>=', seq).execute();
    } finally {
      await store.close();
    }
    const cut = await runCli(['audit', 'verify', '--receipt', `@${file}`], { env });
    expect(cut.code).not.toBe(0);
    expect(errorCode(cut)).toBe('AUDIT_CHAIN_BROKEN');
    expect(cut.stdout.toString()).toMatch(new RegExp(`missing +record ${String(seq)} .*truncated`));
  });
});
