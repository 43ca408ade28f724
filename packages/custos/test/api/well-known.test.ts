// GET /.well-known/jwks.json on a real server: no token, only the published and enabled signing keys, a JWT that
// Custos signs verifies in jose from the URL (createRemoteJWKSet), and the publishJwk flag is row-MAC'd: set by
// hand in the database, it publishes nothing. Plus the plaintext-import setting, both ways.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { UnsupportedError, type Jwk } from '@custos/contract';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

interface Running {
  server: RunningServer;
  kms: RemoteKms;
  dataDir: string;
}

async function start(allowPlaintextImport?: boolean): Promise<Running> {
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-jwks-'));
  const server = await startServer({
    dataDir,
    listen: '127.0.0.1:0',
    logger: false,
    kmsOptions: { maintenanceIntervalMs: 0, logger: { error: () => undefined } },
    ...(allowPlaintextImport === undefined ? {} : { allowPlaintextImport }),
  });
  const token = server.adminToken ?? (await readFile(server.adminTokenFile, 'utf8')).trim();
  return { server, kms: new RemoteKms({ endpoint: server.url, token }), dataDir };
}

async function stop(running: Running | undefined): Promise<void> {
  if (!running) return;
  await running.kms.close();
  await running.server.close();
  await rm(running.dataDir, { recursive: true, force: true });
}

describe('GET /.well-known/jwks.json', () => {
  let r: Running;
  beforeAll(async () => {
    r = await start();
  });
  afterAll(async () => stop(r));
  const jwks = async () => {
    const res = await fetch(`${r.server.url}/.well-known/jwks.json`);
    return { res, body: res.ok ? ((await res.json()) as { keys: Jwk[] }) : undefined };
  };

  it('serves the published signing keys without a token, with Cache-Control, and jose verifies a Custos JWT from it', async () => {
    const { kid } = await r.kms.jwk.generateKeyPair('ES256', { publishJwk: true });
    const { jwt } = await r.kms.signJwt({ keyId: kid, claims: { sub: 'svc' }, expiresIn: 300 });
    const { res, body } = await jwks();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
    expect(body!.keys.find((k) => k.kid === kid)).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    const verified = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${r.server.url}/.well-known/jwks.json`)));
    expect(verified.payload.sub).toBe('svc');
    expect(verified.protectedHeader.kid).toBe(kid);
  });

  it('leaves out unpublished, disabled, unpublished-again and non-signing keys', async () => {
    const { kid: unpublished } = await r.kms.jwk.generateKeyPair('EdDSA');
    const { kid: disabled } = await r.kms.jwk.generateKeyPair('EdDSA', { publishJwk: true });
    await r.kms.disableKey({ keyId: disabled });
    const { kid: withdrawn } = await r.kms.jwk.generateKeyPair('EdDSA', { publishJwk: true });
    const { kid: agreement } = await r.kms.jwk.generateKeyPair('ECDH-ES', { publishJwk: true });
    const { keyMetadata } = await r.kms.createKey({
      keySpec: 'ECC_NIST_P384',
      keyUsage: 'SIGN_VERIFY',
      publishJwk: true,
    });
    expect((await jwks()).body!.keys.map((k) => k.kid)).toContain(withdrawn);
    await r.kms.updateKeyPublishJwk({ keyId: withdrawn, publishJwk: false });
    const kids = (await jwks()).body!.keys.map((k) => k.kid);
    expect(kids).toContain(keyMetadata.keyId.split('/').pop());
    for (const absent of [unpublished, disabled, withdrawn, agreement]) expect(kids).not.toContain(absent);
    await r.kms.updateKeyPublishJwk({ keyId: unpublished, publishJwk: true });
    expect((await jwks()).body!.keys.map((k) => k.kid)).toContain(unpublished);
  });

  it('a publish_jwk flag set in the database by hand is refused by the row MAC: nothing is published', async () => {
    const { kid } = await r.kms.jwk.generateKeyPair('ES256');
    const db = new (sqliteDriver())(join(r.dataDir, 'custos.db'));
    try {
      db.prepare('update keys set publish_jwk = 1 where id = ?').run(kid);
    } finally {
      db.close();
    }
    const { res, body } = await jwks();
    expect(res.status).toBe(500);
    expect(body).toBeUndefined();
    expect(await res.text()).not.toContain(kid);
  });
});

describe('the plaintext import setting', () => {
  const privateJwk = () =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Jwk;

  it('allows plaintext JWK import by default and when allowed', async () => {
    for (const setting of [undefined, true]) {
      const r = await start(setting);
      try {
        const { kid } = await r.kms.jwk.importPrivateKey(privateJwk());
        expect((await r.kms.describeKey({ keyId: kid })).keyMetadata.origin).toBe('EXTERNAL');
      } finally {
        await stop(r);
      }
    }
  });

  it('refuses it with UNSUPPORTED when forbidden, and creates no key', async () => {
    const r = await start(false);
    try {
      const before = (await r.kms.listKeys({})).keys.length;
      await expectKmsError(r.kms.jwk.importPrivateKey(privateJwk()), 'UNSUPPORTED', UnsupportedError);
      expect((await r.kms.listKeys({})).keys.length).toBe(before);
    } finally {
      await stop(r);
    }
  });
});
