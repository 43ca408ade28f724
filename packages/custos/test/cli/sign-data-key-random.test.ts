// `custos sign`, `verify`, `public-key`, `data-key` and `random` end to end; signatures checked with node:crypto too.
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, errorCode, startTestServer } from './helpers.js';

let t: TestServer;
let signer: string;
let symmetric: string;

beforeAll(async () => {
  t = await startTestServer();
  signer = (await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
  await t.kms.createAlias({ aliasName: 'alias/signer', targetKeyId: signer });
  symmetric = (await t.kms.createKey({})).keyMetadata.keyId;
});
afterAll(() => t?.stop());

describe.concurrent('custos sign / verify / public-key', { timeout: 120_000 }, () => {
  const message = Buffer.from('pay 100 to alice\n');

  it('sign writes a raw signature that verify accepts and node:crypto verifies with public-key --format pem', async () => {
    const sig = await t.run(['sign', '--key', signer, '--algorithm', 'ECDSA_SHA_256'], { input: message });
    expect(sig.code, sig.stderr).toBe(0);
    expect(sig.stdout[0]).toBe(0x30); // DER SEQUENCE (AWS KMS ECDSA signatures are DER)
    const sigFile = join(t.dir, 'msg.sig');
    await writeFile(sigFile, sig.stdout);

    const ok = await t.run(
      ['verify', '--key', 'alias/signer', '--algorithm', 'ECDSA_SHA_256', '--signature-file', sigFile],
      { input: message },
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.toString().trim().split('\n')).toHaveLength(1);

    const pem = await t.run(['public-key', '--key', signer, '--format', 'pem']);
    expect(pem.code, pem.stderr).toBe(0);
    const text = pem.stdout.toString();
    expect(text).toMatch(
      /^-----BEGIN PUBLIC KEY-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END PUBLIC KEY-----\n$/,
    );
    expect(cryptoVerify('sha256', message, createPublicKey(text), sig.stdout)).toBe(true);
  });

  it('verify exits 1 with INVALID_SIGNATURE in one line for another message', async () => {
    const sigFile = join(t.dir, 'other.sig');
    await t.run(['sign', '--key', signer, '--algorithm', 'ECDSA_SHA_256', '--out', sigFile], { input: message });
    const bad = await t.run(['verify', '--key', signer, '--algorithm', 'ECDSA_SHA_256', '--signature-file', sigFile], {
      input: 'pay 999 to mallory\n',
    });
    expect(bad.code).toBe(1);
    expect(errorCode(bad)).toBe('INVALID_SIGNATURE');
  });

  it('sign --message-type DIGEST --in --out signs a SHA-256 digest', async () => {
    const digestFile = join(t.dir, 'digest.bin');
    const sigFile = join(t.dir, 'digest.sig');
    await writeFile(digestFile, createHash('sha256').update(message).digest());
    const r = await t.run([
      'sign',
      '--key',
      signer,
      '--algorithm',
      'ECDSA_SHA_256',
      '--message-type',
      'DIGEST',
      '--in',
      digestFile,
      '--out',
      sigFile,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBe(0);
    const ok = await t.run([
      'verify',
      '--key',
      signer,
      '--algorithm',
      'ECDSA_SHA_256',
      '--message-type',
      'DIGEST',
      '--in',
      digestFile,
      '--signature-file',
      sigFile,
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const spki = createPublicKey({
      key: Buffer.from((await t.kms.getPublicKey({ keyId: signer })).publicKey),
      format: 'der',
      type: 'spki',
    });
    expect(cryptoVerify('sha256', message, spki, await readFile(sigFile))).toBe(true);
  });

  it('sign refuses a RAW message over 4096 bytes with a usage error', async () => {
    const r = await t.run(['sign', '--key', signer, '--algorithm', 'ECDSA_SHA_256'], { input: Buffer.alloc(5000) });
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('USAGE');
  });

  it('public-key --format jwk prints the JWK', async () => {
    const r = await t.run(['public-key', '--key', signer, '--format', 'jwk']);
    expect(r.code, r.stderr).toBe(0);
    const jwk = JSON.parse(r.stdout.toString()) as Record<string, string>;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    const der = Buffer.from((await t.kms.getPublicKey({ keyId: signer })).publicKey);
    expect(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }).equals(der)).toBe(true);
  });
});

describe.concurrent('custos data-key / random', { timeout: 120_000 }, () => {
  it('data-key --json prints keyId, plaintext and ciphertextBlob (base64); the blob decrypts to the plaintext', async () => {
    const r = await t.run(['data-key', '--key', symmetric, '--context', 'tenant=acme', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const dk = JSON.parse(r.stdout.toString()) as { keyId: string; plaintext: string; ciphertextBlob: string };
    expect(Buffer.from(dk.plaintext, 'base64')).toHaveLength(32);
    expect(dk.keyId).toContain(symmetric);
    const { plaintext } = await t.kms.decrypt({
      ciphertextBlob: Buffer.from(dk.ciphertextBlob, 'base64'),
      encryptionContext: { tenant: 'acme' },
    });
    expect(Buffer.from(plaintext).toString('base64')).toBe(dk.plaintext);
  });

  it('data-key --spec AES_128 prints base64 plaintext and ciphertextBlob for people', async () => {
    const r = await t.run(['data-key', '--key', symmetric, '--spec', 'AES_128']);
    expect(r.code, r.stderr).toBe(0);
    const plaintext = /^Plaintext\s+(\S+)$/m.exec(r.stdout.toString())?.[1];
    expect(Buffer.from(plaintext ?? '', 'base64')).toHaveLength(16);
    expect(r.stdout.toString()).toMatch(/^CiphertextBlob\s+[A-Za-z0-9+/=]+$/m);
  });

  it('random --bytes N --format base64|hex|raw', async () => {
    const [b64, hex, raw, big] = await Promise.all([
      t.run(['random']),
      t.run(['random', '--bytes', '16', '--format', 'hex']),
      t.run(['random', '--bytes', '7', '--format', 'raw']),
      t.run(['random', '--bytes', '3000', '--format', 'raw']),
    ]);
    expect(Buffer.from(b64.stdout.toString().trim(), 'base64')).toHaveLength(32);
    expect(hex.stdout.toString()).toMatch(/^[0-9a-f]{32}\n$/);
    expect(raw.stdout).toHaveLength(7);
    expect(big.stdout).toHaveLength(3000);
    const bad = await t.run(['random', '--bytes', 'x']);
    expect(bad.code).toBe(2);
    expect(errorCode(bad)).toBe('USAGE');
  });
});
