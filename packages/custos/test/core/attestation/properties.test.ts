// The attestation extension's encoding: the OID encoder checked against openssl's, the properties' DER round trip
// (and openssl's reading of it), and the verifier's refusals of malformed input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeOid } from '../../../src/core/attestation/oid.js';
import {
  ATTESTATION_EXTENSION_OID,
  decodeProperties,
  encodeProperties,
  type AttestedProperties,
} from '../../../src/core/attestation/properties.js';
import { verifyAttestation } from '../../../src/core/attestation/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'custos-attest-core-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function openssl(...args: string[]): string {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

const PROPERTIES: AttestedProperties = {
  version: 1,
  challenge: '00112233445566778899aabbccddeeff',
  keyId: '6f1c0b8e-1d4e-4a57-9a39-0d1f3e0e7a11',
  keySpec: 'ECC_NIST_P256',
  keyUsage: 'SIGN_VERIFY',
  origin: 'IMPORTED',
  protectionLevel: 'HSM',
  exportable: true,
  creationTime: '2026-01-02T03:04:05.000Z',
  keyState: 'Disabled',
  constraints: {
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
    maxUses: 1000,
    allowedAlgorithms: ['ECDSA_SHA_256'],
  },
};

describe('attestation encoding', () => {
  it.each([ATTESTATION_EXTENSION_OID, '1.2.840.10045.4.3.2', '2.5.29.19', '2.999.1', '0.39'])(
    'encodes OID %s as openssl does',
    (oid) => {
      const out = join(dir, 'oid.der');
      openssl('asn1parse', '-genstr', `OID:${oid}`, '-out', out, '-noout');
      expect(Buffer.from(encodeOid(oid)).toString('hex')).toBe(readFileSync(out).toString('hex'));
    },
  );

  it.each(['', '2', '3.1', '1.40', '1.2.x', '2.25.-1'])('refuses the malformed OID "%s"', (oid) => {
    expect(() => encodeOid(oid)).toThrow();
  });

  it('round-trips every property, and openssl reads the DER as the documented SEQUENCE', () => {
    const der = encodeProperties(PROPERTIES);
    expect(decodeProperties(der)).toEqual(PROPERTIES);
    const { constraints: _none, ...rest } = PROPERTIES;
    expect(decodeProperties(encodeProperties({ ...rest, constraints: {} }))).toEqual({ ...rest, constraints: {} });
    writeFileSync(join(dir, 'p.der'), der);
    const parsed = openssl('asn1parse', '-inform', 'DER', '-in', join(dir, 'p.der'));
    expect(parsed).toContain('OCTET STRING      [HEX DUMP]:00112233445566778899AABBCCDDEEFF');
    expect(parsed).toContain(`UTF8STRING        :${PROPERTIES.keyId}`);
    expect(parsed).toContain('ENUMERATED        :01'); // origin: imported (HUKS key flag 1)
    expect(parsed).toContain('BOOLEAN           :255'); // exportable
    expect(parsed).toContain('GENERALIZEDTIME   :20260102030405Z');
  });

  it('refuses a truncated or foreign DER, and unknown enumerations', () => {
    const der = encodeProperties(PROPERTIES);
    expect(() => decodeProperties(der.subarray(0, der.length - 3))).toThrow();
    expect(() => decodeProperties(Uint8Array.from([0x30, 0x00]))).toThrow();
    const badOrigin = Buffer.from(der);
    badOrigin[badOrigin.indexOf(Buffer.from([0x0a, 0x01, 0x01])) + 2] = 9;
    expect(() => decodeProperties(badOrigin)).toThrow(/unknown origin/);
  });

  it('the verifier refuses an empty roots file, a roots file that is not certificates, and a chain that is not PEM', async () => {
    const at = new Date();
    expect(await verifyAttestation('x', '', 'aa', at)).toEqual({ valid: false, reason: 'the chain is empty' });
    const garbage = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(await verifyAttestation('x', garbage, 'aa', at)).toMatchObject({ valid: false });
    expect(await verifyAttestation(garbage, garbage, 'aa', at)).toMatchObject({ valid: false });
    expect(await verifyAttestation('a.b.c', '', 'aa', at)).toMatchObject({
      valid: false,
      reason: 'the JWS is malformed',
    });
  });
});
