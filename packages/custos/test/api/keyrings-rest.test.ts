// Keyrings over the native REST API on a real server through RemoteKms: MOSIP bytes round trip (binary fields as
// base64), older generations keep decrypting, error codes come back as the same classes, and the routes answer
// plain HTTP clients (GET with the reference id in the query string).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { AccessDeniedError, NotFoundError, ValidationError } from '@custos/contract';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const RING = { applicationId: 'REGISTRATION', referenceId: '10001' };
const text = (b: Uint8Array): string => Buffer.from(b).toString();

describe('keyrings over REST (RemoteKms against a real server)', () => {
  let server: RunningServer;
  let kms: RemoteKms;
  let token: string;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'custos-keyrings-rest-'));
    server = await startServer({
      dataDir,
      listen: '127.0.0.1:0',
      logger: false,
      kmsOptions: { maintenanceIntervalMs: 0, logger: { error: () => undefined } },
    });
    token = server.adminToken ?? (await readFile(server.adminTokenFile, 'utf8')).trim();
    kms = new RemoteKms({ endpoint: server.url, token });
  });
  afterAll(async () => {
    await kms?.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('encrypts and decrypts MOSIP bytes; a revoked generation still decrypts', async () => {
    const first = await kms.keyringEncrypt({ ...RING, data: Buffer.from('one'), aad: Buffer.from('aad') });
    expect(Buffer.from(first.ciphertext).includes('#KEY_SPLITTER#')).toBe(true);
    await kms.revokeKeyringKey(RING);
    const second = await kms.keyringEncrypt({ ...RING, data: Buffer.from('two') });
    expect(
      text((await kms.keyringDecrypt({ ...RING, ciphertext: first.ciphertext, aad: Buffer.from('aad') })).plaintext),
    ).toBe('one');
    expect(text((await kms.keyringDecrypt({ ...RING, ciphertext: second.ciphertext })).plaintext)).toBe('two');
    const { certificates } = await kms.listKeyringCertificates(RING);
    expect(certificates).toHaveLength(2);
    expect(certificates[0]!.issuedAt).toBeInstanceOf(Date);
  });

  it('rebuilds the keyring error classes from their codes', async () => {
    await expectKmsError(
      kms.keyringEncrypt({ applicationId: 'REGISTRATION', data: Buffer.from('x') }),
      'KEYRING_MASTER_KEY_USE',
      ValidationError,
    );
    await expectKmsError(kms.getKeyringPolicy({ applicationId: 'NOPE' }), 'KEYRING_POLICY_NOT_FOUND', NotFoundError);
    await kms.putKeyringPolicy({ applicationId: 'OFF', validityDays: 10, preExpireDays: 1, active: false });
    await expectKmsError(
      kms.keyringEncrypt({ applicationId: 'OFF', referenceId: '1', data: Buffer.from('x') }),
      'KEYRING_ACCESS_NOT_ALLOWED',
      AccessDeniedError,
    );
  });

  it('serves plain HTTP: GET policies and a certificate by query, 404 with the code for an unknown application', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const policies = await fetch(`${server.url}/v1/keyrings/policies`, { headers: auth });
    expect(policies.status).toBe(200);
    const body = (await policies.json()) as { policies: { applicationId: string }[] };
    expect(body.policies.some((p) => p.applicationId === 'ROOT')).toBe(true);
    const cert = await fetch(`${server.url}/v1/keyrings/REGISTRATION/certificate?referenceId=10001`, { headers: auth });
    expect(cert.status).toBe(200);
    expect(((await cert.json()) as { certificate: string }).certificate).toContain('BEGIN CERTIFICATE');
    const missing = await fetch(`${server.url}/v1/keyrings/policies/NOPE`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('KEYRING_POLICY_NOT_FOUND');
    const anonymous = await fetch(`${server.url}/v1/keyrings/policies`);
    expect(anonymous.status).toBe(401);
  });
});
