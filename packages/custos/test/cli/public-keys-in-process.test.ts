// `custos key import-public` (ImportPublicKey from a PEM, DER or JWK file) and `custos derive-shared-secret --store-as`
// (the agreement stored as a key, no secret on stdout), in-process against a real server.
import { createHmac, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyMetadata } from '@custos/contract';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { custosAgainst } from '../helpers/cli-in-process.js';

let dir: string;
let server: RunningServer;
let admin: RemoteKms;
const custos = custosAgainst(() => server);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-cli-pubkeys-'));
  server = await startServer({ dataDir: join(dir, 'data'), listen: '127.0.0.1:0', logger: false });
  admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
});
afterAll(async () => {
  await admin?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('custos key import-public', { timeout: 60_000 }, () => {
  it('imports a PEM, a DER and a JWK file; the keys verify signatures made outside', async () => {
    const pair = generateKeyPairSync('ed25519');
    const files = {
      pem: [join(dir, 'ed.pem'), pair.publicKey.export({ type: 'spki', format: 'pem' })],
      der: [join(dir, 'ed.der'), pair.publicKey.export({ type: 'spki', format: 'der' })],
      jwk: [join(dir, 'ed.jwk'), JSON.stringify(pair.publicKey.export({ format: 'jwk' }))],
    } as const;
    const message = Buffer.from('signed by the partner');
    const signature = sign(null, message, pair.privateKey);
    for (const [path, content] of Object.values(files)) {
      await writeFile(path, content);
      const out = JSON.parse(
        await custos('key', 'import-public', '--in', path, '--usage', 'SIGN_VERIFY', '--tag', 'partner=acme', '--json'),
      ) as KeyMetadata;
      expect(out).toMatchObject({ keySpec: 'ECC_NIST_EDWARDS25519', publicKeyOnly: true, origin: 'EXTERNAL' });
      const { signatureValid } = await admin.verify({
        keyId: out.keyId,
        message,
        signature,
        signingAlgorithm: 'ED25519_SHA_512',
      });
      expect(signatureValid).toBe(true);
    }
    expect(
      await custos(
        'key',
        'describe',
        JSON.parse(await custos('key', 'import-public', '--in', files.pem[0], '--usage', 'SIGN_VERIFY', '--json'))
          .keyId as string,
      ),
    ).toMatch(/PublicKeyOnly\s+true/);
  });

  it('fails with the stable code of a bad key (RSA-1024: PUBLIC_KEY_RSA_SIZE)', async () => {
    const path = join(dir, 'small.pem');
    await writeFile(
      path,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    await expect(custos('key', 'import-public', '--in', path, '--usage', 'SIGN_VERIFY')).rejects.toMatchObject({
      code: 'PUBLIC_KEY_RSA_SIZE',
    });
  });
});

describe('custos derive-shared-secret --store-as', { timeout: 60_000 }, () => {
  it('stores HKDF-SHA256 of the agreement as an HMAC key the peer can reproduce', async () => {
    const { keyMetadata } = await admin.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' });
    const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const peerFile = join(dir, 'peer.pem');
    await writeFile(peerFile, peer.publicKey.export({ type: 'spki', format: 'pem' }));
    const out = await custos(
      'derive-shared-secret',
      '--key',
      keyMetadata.keyId,
      '--peer-public-key',
      peerFile,
      '--store-as',
      'HMAC_256',
      '--salt',
      '0011',
      '--info',
      '6162',
      '--json',
    );
    const result = JSON.parse(out) as { sharedSecret?: string; keyMetadata: KeyMetadata };
    expect(result.sharedSecret).toBeUndefined();
    const macKeyId = result.keyMetadata.keyId;
    const message = Buffer.from('both sides');
    const { mac } = await admin.generateMac({ keyId: macKeyId, message, macAlgorithm: 'HMAC_SHA_256' });
    const custosPublic = createPublicKey({
      key: Buffer.from((await admin.getPublicKey({ keyId: keyMetadata.keyId })).publicKey),
      format: 'der',
      type: 'spki',
    });
    const z = diffieHellman({ privateKey: peer.privateKey, publicKey: custosPublic });
    const key = Buffer.from(hkdfSync('sha256', z, Buffer.from('0011', 'hex'), Buffer.from('ab'), 32));
    expect(Buffer.from(mac).equals(createHmac('sha256', key).update(message).digest())).toBe(true);
  });
});
