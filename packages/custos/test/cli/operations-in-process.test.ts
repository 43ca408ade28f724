// The commands issue 18 added, in-process (buildProgram) against a real server: each is checked through --json
// (binary as base64) against what the server or node:crypto says, and each usage error is refused with its code.
import { createECDH, createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { UsageError } from '../../src/cli/errors.js';
import { custosAgainst } from '../helpers/cli-in-process.js';

let dir: string;
let server: RunningServer;
let admin: RemoteKms;
const custos = custosAgainst(() => server);
const json = async (...args: string[]) => JSON.parse(await custos(...args, '--json')) as Record<string, unknown>;
const b64 = (v: unknown) => Buffer.from(v as string, 'base64');
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e as { code?: string }).code,
  );
const key = async (keySpec: string, keyUsage: string, extra: Record<string, unknown> = {}) =>
  (await admin.createKey({ keySpec, keyUsage, ...extra } as never)).keyMetadata.keyId;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-cli-ops-'));
  server = await startServer({
    dataDir: join(dir, 'data'),
    listen: '127.0.0.1:0',
    logger: false,
    kmsOptions: { maintenanceIntervalMs: 0 },
  });
  admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
});
afterAll(async () => {
  await admin?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('custos key update-description, constraints, export, rotation, policy', { timeout: 60_000 }, () => {
  it('update-description replaces the description', async () => {
    const id = await key('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const m = await json('key', 'update-description', id, 'orders at rest');
    expect(m.description).toBe('orders at rest');
    expect((await admin.describeKey({ keyId: id })).keyMetadata.description).toBe('orders at rest');
  });

  it('constraints sets and clears usage constraints, and refuses an unknown algorithm before any call', async () => {
    const id = await key('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const set = await json('key', 'constraints', id, '--max-uses', '5', '--not-after', '2099-01-01T00:00:00Z');
    expect(set.usageConstraints).toMatchObject({ maxUses: 5, notAfter: '2099-01-01T00:00:00.000Z' });
    const cleared = await json('key', 'constraints', id, '--max-uses', 'none');
    expect((cleared.usageConstraints as Record<string, unknown>).maxUses).toBeUndefined();
    expect((cleared.usageConstraints as Record<string, unknown>).notAfter).toBe('2099-01-01T00:00:00.000Z');
    await expect(custos('key', 'constraints', id, '--allowed-algorithms', 'ROT13')).rejects.toThrow(UsageError);
  });

  it('export gives an exportable key as a JWK, and refuses a key not created exportable', async () => {
    const id = await key('AES_256', 'ENCRYPT_DECRYPT', { exportable: true });
    const r = await json('key', 'export', id, '--format', 'JWK');
    expect((r.jwk as { kty: string; k: string }).kty).toBe('oct');
    expect(Buffer.from((r.jwk as { k: string }).k, 'base64url')).toHaveLength(32);
    const closed = await key('AES_256', 'ENCRYPT_DECRYPT');
    expect(await code(custos('key', 'export', closed, '--format', 'JWK', '--json'))).not.toBe('resolved');
  });

  it('rotation enable, status, disable and list follow the server', async () => {
    const id = await key('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    expect(await json('key', 'rotation', 'enable', id, '--period', '90')).toMatchObject({
      keyRotationEnabled: true,
      rotationPeriodInDays: 90,
    });
    expect(await json('key', 'rotation', 'status', id)).toMatchObject({ keyRotationEnabled: true });
    expect(await json('key', 'rotation', 'disable', id)).toMatchObject({ keyRotationEnabled: false });
    await custos('key', 'rotate', id);
    const { rotations } = (await json('key', 'rotation', 'list', id)) as { rotations: { keyVersion: number }[] };
    expect(rotations.map((r) => r.keyVersion)).toEqual([2]);
    expect(await custos('key', 'rotation', 'status', id)).toMatch(/KeyRotationEnabled\s+false/);
    await expect(custos('key', 'rotation', 'enable', id, '--period', '30')).rejects.toThrow(UsageError);
  });

  it('policy get prints the document and put replaces it; put refuses a document that is not JSON', async () => {
    const id = await key('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const policy = await custos('key', 'policy', 'get', id);
    const doc = JSON.parse(policy) as { Statement: unknown[] };
    const file = join(dir, 'policy.json');
    await writeFile(file, JSON.stringify({ ...doc, Id: 'edited-by-cli' }));
    expect(await json('key', 'policy', 'put', id, '--in', file)).toEqual({ keyId: id, policyName: 'default' });
    expect(JSON.parse((await admin.getKeyPolicy({ keyId: id })).policy)).toMatchObject({ Id: 'edited-by-cli' });
    await writeFile(file, '{ not json');
    await expect(custos('key', 'policy', 'put', id, '--in', file)).rejects.toThrow(UsageError);
  });
});

describe('custos re-encrypt, data-key, data-key-pair, mac, derive', { timeout: 60_000 }, () => {
  it('re-encrypt moves an encrypt --json blob to another key and context; decrypt --json reads it back', async () => {
    const [a, b] = [
      await key('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'),
      await key('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'),
    ];
    const file = join(dir, 'plain.txt');
    await writeFile(file, 'attack at dawn');
    const enc = await json('encrypt', '--key', a, '--in', file, '--context', 'app=x');
    const blob = join(dir, 'a.blob');
    await writeFile(blob, b64(enc.ciphertextBlob));
    const re = await json('re-encrypt', '--to', b, '--in', blob, '--context', 'app=x', '--to-context', 'app=y');
    expect(re.keyId).toContain(b);
    await writeFile(blob, b64(re.ciphertextBlob));
    const dec = await json('decrypt', '--in', blob, '--context', 'app=y');
    expect(b64(dec.plaintext).toString()).toBe('attack at dawn');
    expect(await code(custos('decrypt', '--in', blob, '--context', 'app=x', '--json'))).toBe('INVALID_CIPHERTEXT');
  });

  it('data-key --without-plaintext and data-key-pair (with and without plaintext) decrypt to matching keys', async () => {
    const id = await key('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const dk = await json('data-key', '--key', id, '--without-plaintext');
    expect(dk.plaintext).toBeUndefined();
    expect((await admin.decrypt({ ciphertextBlob: b64(dk.ciphertextBlob) })).plaintext).toHaveLength(32);

    const pair = await json('data-key-pair', '--key', id, '--spec', 'ECC_NIST_P256');
    const priv = b64(pair.privateKeyPlaintext);
    const again = (await admin.decrypt({ ciphertextBlob: b64(pair.privateKeyCiphertextBlob) })).plaintext;
    expect(Buffer.from(again).equals(priv)).toBe(true);
    const pub = createPublicKey({ key: b64(pair.publicKey), format: 'der', type: 'spki' });
    expect(pub.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');

    const bare = await json('data-key-pair', '--key', id, '--spec', 'X25519', '--without-plaintext');
    expect(bare.privateKeyPlaintext).toBeUndefined();
    expect(bare.keyPairSpec).toBe('X25519');
  });

  it('mac generate matches an HMAC of the exported key; mac verify accepts it and refuses another message', async () => {
    const id = await key('HMAC_256', 'GENERATE_VERIFY_MAC', { exportable: true });
    const msg = join(dir, 'msg.txt');
    await writeFile(msg, 'pay 100 to alice');
    const r = await json('mac', 'generate', '--key', id, '--algorithm', 'HMAC_SHA_256', '--in', msg);
    const { jwk } = await admin.exportKey({ keyId: id, format: 'JWK' });
    const expected = createHmac('sha256', Buffer.from(jwk!.k!, 'base64url')).update('pay 100 to alice').digest();
    expect(b64(r.mac).equals(expected)).toBe(true);
    const macFile = join(dir, 'msg.mac');
    await custos('mac', 'generate', '--key', id, '--algorithm', 'HMAC_SHA_256', '--in', msg, '--out', macFile);
    expect(
      await custos('mac', 'verify', '--key', id, '--algorithm', 'HMAC_SHA_256', '--in', msg, '--mac-file', macFile),
    ).toMatch(/^MAC valid/);
    await writeFile(msg, 'pay 999 to mallory');
    expect(
      await code(
        custos('mac', 'verify', '--key', id, '--algorithm', 'HMAC_SHA_256', '--in', msg, '--mac-file', macFile),
      ),
    ).toBe('INVALID_MAC');
  });

  it('derive-shared-secret agrees with node:crypto ECDH on the other side', async () => {
    const id = await key('ECC_NIST_P256', 'KEY_AGREEMENT');
    const peer = createECDH('prime256v1');
    peer.generateKeys();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const peerFile = join(dir, 'peer.pem');
    await writeFile(peerFile, publicKey.export({ type: 'spki', format: 'pem' }));
    const r = await json('derive-shared-secret', '--key', id, '--peer-public-key', peerFile);
    const ours = createPublicKey({
      key: Buffer.from((await admin.getPublicKey({ keyId: id })).publicKey),
      format: 'der',
      type: 'spki',
    });
    const { diffieHellman } = await import('node:crypto');
    expect(b64(r.sharedSecret).equals(diffieHellman({ privateKey, publicKey: ours }))).toBe(true);
    await writeFile(peerFile, 'not a key');
    await expect(custos('derive-shared-secret', '--key', id, '--peer-public-key', peerFile)).rejects.toThrow(
      UsageError,
    );
  });

  it('derive-key returns bytes (--bytes) or stores a key (--store-as), and wants exactly one of them', async () => {
    const id = await key('AES_256', 'DERIVE_KEY');
    const args = ['derive-key', '--key', id, '--algorithm', 'HKDF_SHA_256', '--salt', '00ff', '--info', '6869'];
    const one = await json(...args, '--bytes', '48');
    const two = await json(...args, '--bytes', '48');
    expect(b64(one.plaintext)).toHaveLength(48);
    expect(one.plaintext).toBe(two.plaintext); // deterministic: same key, salt and info
    const stored = await json(...args, '--store-as', 'HMAC_256');
    expect((stored.keyMetadata as { keySpec: string }).keySpec).toBe('HMAC_256');
    await expect(custos(...args)).rejects.toThrow(UsageError);
    await expect(custos(...args, '--bytes', '8', '--store-as', 'AES_128')).rejects.toThrow(UsageError);
    await expect(custos(...args.slice(0, -4), '--salt', 'xyz', '--bytes', '8')).rejects.toThrow(UsageError);
  });
});

describe('custos jwk, jose and jwe', { timeout: 60_000 }, () => {
  it('jwk generate and import make keys whose JOSE signatures verify; a bad JWK is a usage error', async () => {
    const gen = await json('jwk', 'generate', '--alg', 'ES256');
    expect((gen.jwk as { crv: string }).crv).toBe('P-256');
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwkFile = join(dir, 'ed.jwk');
    await writeFile(jwkFile, JSON.stringify({ ...privateKey.export({ format: 'jwk' }), alg: 'EdDSA' }));
    const imp = await json('jwk', 'import', '--in', jwkFile);
    expect((imp.jwk as { d?: string }).d).toBeUndefined();

    const msg = join(dir, 'jose.txt');
    await writeFile(msg, 'hello');
    for (const kid of [gen.kid as string, imp.kid as string]) {
      const sig = await json('jose', 'sign', '--key', kid, '--in', msg);
      const sigFile = join(dir, 'jose.sig');
      await writeFile(sigFile, b64(sig.signature));
      expect(await json('jose', 'verify', '--key', kid, '--in', msg, '--signature-file', sigFile)).toEqual({
        valid: true,
      });
      await writeFile(sigFile, Buffer.alloc(b64(sig.signature).length));
      expect(await code(custos('jose', 'verify', '--key', kid, '--in', msg, '--signature-file', sigFile))).toBe(
        'INVALID_SIGNATURE',
      );
    }
    await writeFile(jwkFile, '[1]');
    await expect(custos('jwk', 'import', '--in', jwkFile)).rejects.toThrow(UsageError);
  });

  it('jwe encrypt and decrypt round-trip a message', async () => {
    const { kid } = await admin.jwk.generateKeyPair('RSA-OAEP-256');
    const msg = join(dir, 'jwe.txt');
    await writeFile(msg, 'for your eyes only');
    const jwe = (await custos('jwe', 'encrypt', '--key', kid, '--in', msg)).trim();
    expect(jwe.split('.')).toHaveLength(5);
    const jweFile = join(dir, 'msg.jwe');
    await writeFile(jweFile, jwe);
    expect(await custos('jwe', 'decrypt', '--key', kid, '--in', jweFile)).toBe('for your eyes only');
    expect(b64((await json('jwe', 'decrypt', '--key', kid, '--in', jweFile)).plaintext).toString()).toBe(
      'for your eyes only',
    );
  });
});
