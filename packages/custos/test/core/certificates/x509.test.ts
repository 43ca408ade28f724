// The core certificate helpers on their own: parsing refuses anything but exactly one certificate or CSR, names and
// subject alternative names are checked, the default algorithm per spec, and the path checks' edge cases.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@custos/contract';
import { keySpec } from '../../../src/core/key-specs.js';
import { verifyChain, validityProblem } from '../../../src/core/certificates/path.js';
import { defaultCertificateAlgorithm } from '../../../src/core/certificates/signer.js';
import {
  parseCertificate,
  parseChain,
  parseCsr,
  parseName,
  samePublicKey,
  subjectAltNameExtension,
} from '../../../src/core/certificates/x509.js';
import { outsideCertificate } from '../../helpers/x509-outside.js';

const expectInvalid = (run: () => unknown) => {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).code).toBe('INVALID_CERTIFICATE');
};

describe('core certificates', () => {
  it('parses exactly one certificate; two, none or a broken body are INVALID_CERTIFICATE', async () => {
    const a = await outsideCertificate({ subject: 'CN=a' });
    expect(parseCertificate(a.pem).subject).toBe('CN=a');
    expectInvalid(() => parseCertificate(a.pem + a.pem));
    expectInvalid(() => parseCertificate('plain text'));
    expectInvalid(() => parseCertificate('-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n'));
    expectInvalid(() => parseChain([a.pem, 'nope']));
    expectInvalid(() => parseCsr(a.pem + a.pem));
    expectInvalid(() => parseCsr('-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQE=\n-----END CERTIFICATE REQUEST-----\n'));
  });

  it('checks subject names and subject alternative names', () => {
    expect(parseName('CN=orders,O=Acme').toString()).toBe('CN=orders, O=Acme');
    expectInvalid(() => parseName('orders'));
    const san = subjectAltNameExtension([
      'DNS:a.example',
      'b.example',
      'IP:10.0.0.1',
      'ip:::1',
      'email:ops@a.example',
      'URI:https://a.example/x',
    ]);
    expect(san.names.toJSON().map((n) => n.type)).toEqual(['dns', 'dns', 'ip', 'ip', 'email', 'url']);
    expectInvalid(() => subjectAltNameExtension(['otherName:x']));
    expectInvalid(() => subjectAltNameExtension(['DNS:']));
    expectInvalid(() => subjectAltNameExtension(['IP:not-an-address']));
  });

  it('compares public keys as node re-encodes them; garbage is never the same key', () => {
    const one = new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }));
    const two = new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }));
    expect(samePublicKey(one, one.slice())).toBe(true);
    expect(samePublicKey(one, two)).toBe(false);
    expect(samePublicKey(one, new Uint8Array([1, 2, 3]))).toBe(false);
  });

  it('picks the usual certificate algorithm of each signing spec', () => {
    expect(defaultCertificateAlgorithm(keySpec('RSA_3072'))).toBe('RSASSA_PKCS1_V1_5_SHA_256');
    expect(defaultCertificateAlgorithm(keySpec('ECC_NIST_P256'))).toBe('ECDSA_SHA_256');
    expect(defaultCertificateAlgorithm(keySpec('ECC_NIST_P384'))).toBe('ECDSA_SHA_384');
    expect(defaultCertificateAlgorithm(keySpec('ECC_NIST_P521'))).toBe('ECDSA_SHA_512');
    expect(defaultCertificateAlgorithm(keySpec('ECC_NIST_EDWARDS25519'))).toBe('ED25519_SHA_512');
    expect(defaultCertificateAlgorithm(keySpec('ECC_SECG_P256K1'))).toBe('ECDSA_SHA_256');
  });

  it('path checks: an empty chain is MALFORMED; validity is inclusive of both ends', async () => {
    expect(await verifyChain([], [], new Date())).toMatchObject({ valid: false, reason: 'MALFORMED' });
    const a = await outsideCertificate({ subject: 'CN=edges' });
    expect(validityProblem(a.certificate, a.certificate.notBefore)).toBeNull();
    expect(validityProblem(a.certificate, a.certificate.notAfter)).toBeNull();
    expect(validityProblem(a.certificate, new Date(a.certificate.notAfter.getTime() + 1))?.reason).toBe('EXPIRED');
    expect(validityProblem(a.certificate, new Date(a.certificate.notBefore.getTime() - 1))?.reason).toBe(
      'NOT_YET_VALID',
    );
    // A pinned leaf is a path by itself.
    expect(await verifyChain([a.certificate], [a.certificate], new Date())).toMatchObject({ valid: true });
  });
});
