// The console's in-browser attestation check (src/attestation.ts, src/certificates.ts, src/attested-properties.ts) run in Node (WebCrypto, atob and
// TextDecoder are the same there) against attestations from a real LocalKms: it accepts what the server's own
// verifier accepts, with the same properties, and refuses another challenge, a certificate changed by one byte,
// a JWS whose payload was changed, and a chain that ends at a root the server does not pin.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAttestation as serverVerify } from '../../custos/src/core/attestation/verify.js';
import { LocalKms } from '../../custos/src/service/local-kms.js';
import { verifyAttestation } from '../src/attestation.js';
import { readCertificate } from '../src/certificates.js';

let dataDir: string;
let kms: LocalKms;
let roots: string[];
let ecKey: string;
let aesKey: string;
const challenge = new Uint8Array(32).map((_, i) => i * 7);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** `pem` with the byte at `offset` of its DER flipped. */
function tamper(pem: string, offset: number): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[offset] = (der[offset] ?? 0) ^ 0x01;
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'custos-console-attest-'));
  kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0, logger: { error: () => undefined } });
  roots = (await kms.getAttestationRoots({})).certificates;
  ecKey = (await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
  aesKey = (await kms.createKey({ keySpec: 'AES_256', keyUsage: 'ENCRYPT_DECRYPT', usageConstraints: { maxUses: 5 } }))
    .keyMetadata.keyId;
});

afterAll(async () => {
  await kms.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the console's attestation check", () => {
  it('reads a certificate as Node does', async () => {
    const { certificateChain } = await kms.attestKey({ keyId: ecKey, challenge });
    for (const pem of certificateChain) {
      const mine = readCertificate(pem);
      const node = new X509Certificate(pem);
      expect(mine.subject.split(', ')).toEqual(node.subject.split('\n'));
      expect(mine.issuer.split(', ')).toEqual(node.issuer.split('\n'));
      expect(mine.notBefore).toEqual(new Date(node.validFrom));
      expect(mine.notAfter).toEqual(new Date(node.validTo));
      expect(mine.serialNumber).toBe(node.serialNumber.toLowerCase());
    }
  });

  it('accepts a key pair attestation (X.509) with the properties the server verifier finds', async () => {
    const answer = await kms.attestKey({ keyId: ecKey, challenge });
    const verdict = await verifyAttestation(answer, roots, challenge);
    const server = await serverVerify(answer.certificateChain.join(''), roots.join(''), hex(challenge), new Date());
    expect(verdict.valid && server.valid).toBe(true);
    if (verdict.valid && server.valid) expect(verdict.properties).toEqual(server.properties);
    expect(verdict).toMatchObject({ format: 'X509', properties: { keyId: ecKey, origin: 'GENERATED' } });
  });

  it("reads a key pair's usage constraints from the extension as the server verifier does", async () => {
    const usageConstraints = {
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2099-01-01T00:00:00Z'),
      maxUses: 7,
      allowedAlgorithms: ['ECDSA_SHA_256' as const],
    };
    const keyId = (await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', usageConstraints }))
      .keyMetadata.keyId;
    const answer = await kms.attestKey({ keyId, challenge });
    const verdict = await verifyAttestation(answer, roots, challenge);
    const server = await serverVerify(answer.certificateChain.join(''), roots.join(''), hex(challenge), new Date());
    expect(verdict.valid && server.valid).toBe(true);
    if (verdict.valid && server.valid) expect(verdict.properties).toEqual(server.properties);
    expect(verdict.valid && verdict.properties.constraints).toEqual({
      notBefore: '2020-01-01T00:00:00.000Z',
      notAfter: '2099-01-01T00:00:00.000Z',
      maxUses: 7,
      allowedAlgorithms: ['ECDSA_SHA_256'],
    });
  });

  it('accepts a secret key attestation (JWS) with its constraints', async () => {
    const answer = await kms.attestKey({ keyId: aesKey, challenge });
    const verdict = await verifyAttestation(answer, roots, challenge);
    expect(verdict).toMatchObject({ valid: true, format: 'JWS', properties: { keySpec: 'AES_256' } });
    expect(verdict.valid && verdict.properties.constraints).toEqual({ maxUses: 5 });
  });

  it('refuses another challenge, a changed certificate or payload, and an unpinned root', async () => {
    const answer = await kms.attestKey({ keyId: ecKey, challenge });
    const other = new Uint8Array(32).fill(1);
    expect(await verifyAttestation(answer, roots, other)).toEqual({
      valid: false,
      reason: 'the attestation answers another challenge',
    });
    const leaf = answer.certificateChain[0] ?? '';
    // A byte inside the signed part (well past the header): the signature no longer verifies.
    const changed = { ...answer, certificateChain: [tamper(leaf, 200), ...answer.certificateChain.slice(1)] };
    expect(await verifyAttestation(changed, roots, challenge)).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/^the signature of certificate 1 \(.*\) does not verify$/) as unknown,
    });
    const jws = await kms.attestKey({ keyId: aesKey, challenge });
    const [head, body, sig] = (jws.jws ?? '').split('.');
    const payload = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, exportable: true })).toString('base64url');
    expect(await verifyAttestation({ ...jws, jws: `${head}.${forged}.${sig}` }, roots, challenge)).toEqual({
      valid: false,
      reason: 'the JWS signature does not verify with the chain',
    });
    await kms.createSelfSignedCertificate({ keyId: ecKey, subject: 'CN=not a root', validityDays: 1 });
    const unpinned = (await kms.getKeyCertificate({ keyId: ecKey })).certificateChain;
    expect(await verifyAttestation(answer, unpinned, challenge)).toEqual({
      valid: false,
      reason: 'the chain does not end at a root the server pins',
    });
  });
});
