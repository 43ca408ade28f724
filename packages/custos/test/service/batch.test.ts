// Batch through LocalKms: every allowed operation in one call, results in order; a bad item fails alone (its code as a
// single call's); the envelope's limits; one audit record per item plus the batch's own, committed together under
// the batch's request id; each item authorised on its own key (a key policy, no roles).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_ITEMS, type BatchItem, type Caller } from '@custos/contract';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { openTestKms, utf8, type TestKms } from './helpers.js';

const ADMIN: Caller = { principal: 'alice', roles: ['admin'] };
const message = utf8('batched message');

describe('Batch (LocalKms)', () => {
  let t: TestKms;
  let aes: string;
  let other: string;
  let signer: string;
  let hmac: string;
  let blob: Uint8Array;
  beforeAll(async () => {
    t = await openTestKms();
    const create = async (input: Parameters<TestKms['kms']['createKey']>[0] = {}) =>
      (await t.kms.createKey(input)).keyMetadata.keyId;
    aes = await create();
    other = await create();
    signer = await create({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    hmac = await create({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' });
    blob = (await t.kms.encrypt({ keyId: aes, plaintext: message })).ciphertextBlob;
  });
  afterAll(async () => t?.cleanup());

  it('runs every operation a batch may hold, each result under its operation, in order', async () => {
    const signature = (await t.kms.sign({ keyId: signer, message, signingAlgorithm: 'ECDSA_SHA_256' })).signature;
    const mac = (await t.kms.generateMac({ keyId: hmac, message, macAlgorithm: 'HMAC_SHA_256' })).mac;
    const { results } = await t.kms.batch({
      items: [
        { encrypt: { keyId: aes, plaintext: message } },
        { decrypt: { ciphertextBlob: blob } },
        { reEncrypt: { ciphertextBlob: blob, destinationKeyId: other } },
        { generateDataKey: { keyId: aes, keySpec: 'AES_256' } },
        { generateDataKeyWithoutPlaintext: { keyId: aes, numberOfBytes: 16 } },
        { sign: { keyId: signer, message, signingAlgorithm: 'ECDSA_SHA_256' } },
        { verify: { keyId: signer, message, signature, signingAlgorithm: 'ECDSA_SHA_256' } },
        { generateMac: { keyId: hmac, message, macAlgorithm: 'HMAC_SHA_256' } },
        { verifyMac: { keyId: hmac, message, mac, macAlgorithm: 'HMAC_SHA_256' } },
      ],
    });
    expect(results.map((r) => Object.keys(r))).toEqual([
      ['encrypt'],
      ['decrypt'],
      ['reEncrypt'],
      ['generateDataKey'],
      ['generateDataKeyWithoutPlaintext'],
      ['sign'],
      ['verify'],
      ['generateMac'],
      ['verifyMac'],
    ]);
    const [enc, dec, re, gdk, gdkw, sig, ver, gmac, vmac] = results;
    // Each result is what a single call returns: check them with single calls.
    expect((await t.kms.decrypt({ ciphertextBlob: enc!.encrypt!.ciphertextBlob })).plaintext).toEqual(message);
    expect(dec!.decrypt!.plaintext).toEqual(message);
    const reDecrypted = await t.kms.decrypt({ ciphertextBlob: re!.reEncrypt!.ciphertextBlob });
    expect([reDecrypted.plaintext, reDecrypted.keyId]).toEqual([message, expect.stringContaining(other)]);
    const dataKey = await t.kms.decrypt({ ciphertextBlob: gdk!.generateDataKey!.ciphertextBlob });
    expect(dataKey.plaintext).toEqual(gdk!.generateDataKey!.plaintext);
    const wrapped = await t.kms.decrypt({ ciphertextBlob: gdkw!.generateDataKeyWithoutPlaintext!.ciphertextBlob });
    expect(wrapped.plaintext).toHaveLength(16);
    const verified = await t.kms.verify({
      keyId: signer,
      message,
      signature: sig!.sign!.signature,
      signingAlgorithm: 'ECDSA_SHA_256',
    });
    expect(verified.signatureValid).toBe(true);
    expect(ver!.verify!.signatureValid).toBe(true);
    expect(gmac!.generateMac!.mac).toEqual(mac);
    expect(vmac!.verifyMac!.macValid).toBe(true);
  });

  it('a bad item fails alone with the code a single call gets; the good ones around it succeed', async () => {
    const disabled = (await t.kms.createKey({})).keyMetadata.keyId;
    await t.kms.disableKey({ keyId: disabled });
    const wrongMac = new Uint8Array(32);
    const { results } = await t.kms.batch({
      items: [
        { encrypt: { keyId: aes, plaintext: message } },
        { encrypt: { keyId: disabled, plaintext: message } },
        { encrypt: { keyId: aes, plaintext: new Uint8Array() } }, // below the schema's minimum: this item only
        { decrypt: { ciphertextBlob: new Uint8Array(60) } },
        { sign: { keyId: aes, message, signingAlgorithm: 'ECDSA_SHA_256' } },
        { encrypt: { keyId: 'alias/none', plaintext: message } },
        { verifyMac: { keyId: hmac, message, mac: wrongMac, macAlgorithm: 'HMAC_SHA_256' } },
        { decrypt: { ciphertextBlob: blob } },
      ],
    });
    expect(results.map((r) => r.error?.code ?? Object.keys(r)[0])).toEqual([
      'encrypt',
      'KEY_DISABLED',
      'VALIDATION_ERROR',
      'INVALID_CIPHERTEXT',
      'INVALID_KEY_USAGE',
      'ALIAS_NOT_FOUND',
      'INVALID_MAC',
      'decrypt',
    ]);
    expect(results[1]!.error).toMatchObject({ operation: 'encrypt', message: expect.stringMatching(/disabled/i) });
    expect(results[7]!.decrypt!.plaintext).toEqual(message);
  });

  it('refuses the whole batch when the envelope is wrong: no items, too many, two operations or another one in an item', async () => {
    const one: BatchItem = { encrypt: { keyId: aes, plaintext: message } };
    await expectKmsError(t.kms.batch({ items: [] }), 'VALIDATION_ERROR');
    await expectKmsError(
      t.kms.batch({ items: Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => one) }),
      'VALIDATION_ERROR',
    );
    await expectKmsError(t.kms.batch({ items: [{ ...one, decrypt: { ciphertextBlob: blob } }] }), 'VALIDATION_ERROR');
    await expectKmsError(t.kms.batch({ items: [{ createKey: {} } as unknown as BatchItem] }), 'VALIDATION_ERROR');
    await expectKmsError(t.kms.batch({ items: [{}] as BatchItem[] }), 'VALIDATION_ERROR');
    // The limit itself is allowed.
    const full = await t.kms.batch({ items: Array.from({ length: MAX_BATCH_ITEMS }, () => one) });
    expect(full.results.filter((r) => r.encrypt)).toHaveLength(MAX_BATCH_ITEMS);
  });

  it("audits one record per item after the batch's own, consecutive, under the batch's request id", async () => {
    const requestId = 'batch-audit-1';
    const before = (await t.kms.verifyAuditChain({}, ADMIN)).count!;
    // Single calls running at the same time must not land between the batch's records.
    const singles = Array.from({ length: 20 }, () => t.kms.encrypt({ keyId: other, plaintext: message }));
    const receipts: string[] = [];
    const batch = t.kms.batch(
      {
        items: [
          { encrypt: { keyId: aes, plaintext: message } },
          { decrypt: { ciphertextBlob: new Uint8Array(60) } },
          { generateMac: { keyId: hmac, message, macAlgorithm: 'HMAC_SHA_256' } },
        ],
      },
      { ...ADMIN, requestId, onReceipt: (receipt) => receipts.push(receipt) },
    );
    await Promise.all([...singles, batch]);
    const records = (await t.kms.listAuditRecords({ after: before + 1, limit: 1000 }, ADMIN)).records.filter(
      (r) => r.requestId === requestId,
    );
    expect(records.map((r) => [r.operation, r.keyId, r.outcome, r.errorCode])).toEqual([
      ['Batch', null, 'allowed', null],
      ['Encrypt', aes, 'allowed', null],
      ['Decrypt', null, 'failed', 'INVALID_CIPHERTEXT'],
      ['GenerateMac', hmac, 'allowed', null],
    ]);
    const seqs = records.map((r) => r.seq);
    expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2, seqs[0]! + 3]);
    expect(receipts).toHaveLength(1); // the batch's, covering its items
    expect((await t.kms.verifyAuditChain({}, ADMIN)).ok).toBe(true);
  });

  it('authorises each item on its own key: a key policy lets a role-less caller batch on one key, not on another', async () => {
    const bob: Caller = { principal: 'bob', roles: [] };
    const before = (await t.kms.verifyAuditChain({}, ADMIN)).count!;
    await t.kms.putKeyPolicy({
      keyId: hmac,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'kms:*', Resource: '*' },
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::000000000000:user/bob' },
            Action: 'kms:GenerateMac',
            Resource: '*',
          },
        ],
      }),
    });
    const { results } = await t.kms.batch(
      {
        items: [
          { generateMac: { keyId: hmac, message, macAlgorithm: 'HMAC_SHA_256' } },
          { encrypt: { keyId: aes, plaintext: message } },
          { verifyMac: { keyId: hmac, message, mac: new Uint8Array(32), macAlgorithm: 'HMAC_SHA_256' } },
        ],
      },
      { ...bob, requestId: 'batch-bob' },
    );
    expect(results[0]!.generateMac!.mac).toHaveLength(32);
    expect(results.slice(1).map((r) => r.error?.code)).toEqual(['ACCESS_DENIED', 'ACCESS_DENIED']);
    const records = (await t.kms.listAuditRecords({ after: before, limit: 1000 }, ADMIN)).records.filter(
      (r) => r.requestId === 'batch-bob',
    );
    expect(records.map((r) => [r.principal, r.operation, r.outcome])).toEqual([
      ['bob', 'Batch', 'allowed'],
      ['bob', 'GenerateMac', 'allowed'],
      ['bob', 'Encrypt', 'denied'],
      ['bob', 'VerifyMac', 'denied'],
    ]);
  });
});
