import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidCiphertextError, ValidationError } from '@custos/contract';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { x509 } from '../../../src/core/certificates/x509.js';
import { KEY_SPLITTER, VER_R2 } from '../../../src/core/mosip/constants.js';
import { openDataPart, sealDataPart } from '../../../src/core/mosip/data-part.js';
import { mosipDecrypt } from '../../../src/core/mosip/hybrid-decrypt.js';
import { mosipEncrypt, mosipThumbprint } from '../../../src/core/mosip/hybrid-encrypt.js';
import { assembleMosipCiphertext, parseMosipCiphertext } from '../../../src/core/mosip/hybrid-layout.js';
import { decodeMosipBase64, encodeMosipBase64 } from '../../../src/core/mosip/mosip-base64.js';
import { SecretBytes } from '../../../src/core/secret-bytes.js';
import { b64, golden, goldenCertificatePem, goldenUnwrap } from './golden.js';

const sessionKey = (): SecretBytes => SecretBytes.from(b64(golden.sessionKey) ?? new Uint8Array());
const unwrap = (_tp: Uint8Array | null, ek: Uint8Array): Promise<SecretBytes> => {
  try {
    return Promise.resolve(SecretBytes.adopt(goldenUnwrap(ek)));
  } catch (cause) {
    return Promise.reject(new InvalidCiphertextError({ cause }));
  }
};
const decrypt = (
  bytes: Uint8Array,
  v: { aad?: string | undefined; salt?: string | undefined } = {},
): Promise<Uint8Array> => mosipDecrypt(bytes, { aad: b64(v.aad), salt: b64(v.salt) }, unwrap);
const bytesOf = (text: string): Uint8Array => decodeMosipBase64(text) ?? new Uint8Array();
const hex = (b: Uint8Array | null): string =>
  Buffer.from(b ?? new Uint8Array())
    .toString('hex')
    .toUpperCase();

describe('MOSIP hybrid format: golden vectors', () => {
  it('the thumbprint is the SHA-256 of the certificate DER, from PEM, DER or a parsed certificate', () => {
    const cert = new x509.X509Certificate(goldenCertificatePem);
    expect(hex(mosipThumbprint(goldenCertificatePem))).toBe(golden.thumbprint);
    expect(hex(mosipThumbprint(new Uint8Array(cert.rawData)))).toBe(golden.thumbprint);
    expect(hex(mosipThumbprint(cert))).toBe(golden.thumbprint);
  });

  for (const v of golden.vectors) {
    it(`decrypts the golden vector: ${v.name}`, async () => {
      const parts = parseMosipCiphertext(bytesOf(v.ciphertext));
      expect(parts.versioned).toBe(v.layout === 'a');
      expect(hex(parts.thumbprint)).toBe(v.thumbprint ? golden.thumbprint : '');
      expect(parts.encryptedKey.length).toBe(256);
      expect(Buffer.from(parts.dataPart).toString('base64')).toBe(v.dataPart);
      expect(Buffer.from(await decrypt(bytesOf(v.ciphertext), v)).toString('base64')).toBe(v.plaintext);
    });

    it(`encrypts to the golden bytes (all but the RSA-OAEP part, which is randomised): ${v.name}`, () => {
      const random = (n: number): Uint8Array => {
        const r = b64(v.random) ?? new Uint8Array();
        expect(r.length).toBe(n);
        return r;
      };
      const out = mosipEncrypt(goldenCertificatePem, b64(v.plaintext) ?? new Uint8Array(), {
        aad: b64(v.aad),
        salt: b64(v.salt),
        prependThumbprint: v.thumbprint,
        random,
        sessionKey: sessionKey(),
      });
      const want = parseMosipCiphertext(bytesOf(v.ciphertext));
      const got = parseMosipCiphertext(out);
      expect(out.length).toBe(bytesOf(v.ciphertext).length);
      expect(got.versioned).toBe(want.versioned);
      expect(hex(got.thumbprint)).toBe(hex(want.thumbprint));
      expect(hex(got.dataPart)).toBe(hex(want.dataPart));
      expect(hex(goldenUnwrap(got.encryptedKey))).toBe(hex(b64(golden.sessionKey) ?? null));
      expect(encodeMosipBase64(out)).toMatch(/^[A-Za-z0-9_-]*={0,2}$/);
    });
  }
});

describe('MOSIP hybrid format: layouts', () => {
  const data = new TextEncoder().encode('some data #KEY_SPLITTER# with a splitter inside');

  it('round-trips every layout with random keys, and two encryptions differ', async () => {
    for (const opts of [
      {},
      { aad: randomBytes(20) },
      { salt: randomBytes(12) },
      { salt: randomBytes(16), aad: randomBytes(3) },
    ]) {
      const a = mosipEncrypt(goldenCertificatePem, data, opts);
      const b = mosipEncrypt(goldenCertificatePem, data, opts);
      expect(hex(a)).not.toBe(hex(b));
      expect(await decrypt(a, { aad: opts.aad?.toString('base64'), salt: opts.salt?.toString('base64') })).toEqual(
        data,
      );
    }
  });

  it('splits at the first splitter, so a data part that contains one still decrypts', async () => {
    const part = sealDataPart(sessionKey(), data, {}, (n) => new Uint8Array(n));
    const bytes = assembleMosipCiphertext({
      versioned: true,
      thumbprint: null,
      encryptedKey: new Uint8Array([1]),
      dataPart: Buffer.concat([part.dataPart]),
    });
    expect(parseMosipCiphertext(bytes).encryptedKey).toEqual(new Uint8Array([1]));
    const withSplitter = assembleMosipCiphertext({
      versioned: false,
      thumbprint: null,
      encryptedKey: new Uint8Array([1]),
      dataPart: KEY_SPLITTER,
    });
    expect(parseMosipCiphertext(withSplitter).dataPart).toEqual(KEY_SPLITTER);
  });

  it('a bare RSA public key (KeyObject) makes the no-thumbprint form only', async () => {
    const publicKey = new X509Certificate(goldenCertificatePem).publicKey;
    const bytes = mosipEncrypt(publicKey, data, { prependThumbprint: false });
    expect(parseMosipCiphertext(bytes).thumbprint).toBeNull();
    expect(await decrypt(bytes)).toEqual(data);
    expect(() => mosipEncrypt(publicKey, data)).toThrow(ValidationError);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => mosipEncrypt(privateKey, data, { prependThumbprint: false })).toThrow(ValidationError);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => mosipEncrypt(small, data, { prependThumbprint: false })).toThrow(ValidationError);
  });

  it('only the no-salt, no-aad layout carries VER_R2', () => {
    expect(Buffer.from(mosipEncrypt(goldenCertificatePem, data).subarray(0, 6))).toEqual(Buffer.from(VER_R2));
    expect(Buffer.from(mosipEncrypt(goldenCertificatePem, data, { aad: randomBytes(4) }).subarray(0, 6))).not.toEqual(
      Buffer.from(VER_R2),
    );
  });
});

describe('MOSIP hybrid format: bad input', () => {
  const v = golden.vectors[0]!;
  const good = bytesOf(v.ciphertext);

  it('no splitter → INVALID_CIPHERTEXT', async () => {
    await expectKmsError(decrypt(good.subarray(0, 100)), 'INVALID_CIPHERTEXT', InvalidCiphertextError);
  });

  it('an empty key part or data part → INVALID_CIPHERTEXT', () => {
    expect(() => parseMosipCiphertext(KEY_SPLITTER)).toThrow(InvalidCiphertextError);
    expect(() => parseMosipCiphertext(Buffer.concat([VER_R2, KEY_SPLITTER, Buffer.from('x')]))).toThrow(
      InvalidCiphertextError,
    );
    expect(() => parseMosipCiphertext(Buffer.concat([Buffer.from('k'), KEY_SPLITTER]))).toThrow(InvalidCiphertextError);
  });

  it('a truncated RSA part is not taken for a thumbprint form and fails to unwrap', async () => {
    const at = Buffer.from(good).indexOf(Buffer.from(KEY_SPLITTER));
    const truncated = Buffer.concat([good.subarray(0, at - 10), good.subarray(at)]);
    expect(parseMosipCiphertext(truncated).thumbprint).toBeNull();
    await expectKmsError(decrypt(truncated), 'INVALID_CIPHERTEXT', InvalidCiphertextError);
  });

  it('a wrong tag, a flipped data byte, a truncated data part → INVALID_CIPHERTEXT', async () => {
    for (const at of [good.length - 1, good.length - 20]) {
      const bad = new Uint8Array(good);
      bad[at] = (bad[at] ?? 0) ^ 1;
      await expectKmsError(decrypt(bad), 'INVALID_CIPHERTEXT', InvalidCiphertextError);
    }
    await expectKmsError(decrypt(good.subarray(0, good.length - 30)), 'INVALID_CIPHERTEXT', InvalidCiphertextError);
  });

  it('a wrong aad or salt, or a missing one → INVALID_CIPHERTEXT', async () => {
    const b = golden.vectors[1]!;
    const c = golden.vectors[2]!;
    await expectKmsError(decrypt(bytesOf(b.ciphertext), { aad: 'AAAA' }), 'INVALID_CIPHERTEXT');
    await expectKmsError(decrypt(bytesOf(b.ciphertext)), 'INVALID_CIPHERTEXT');
    await expectKmsError(decrypt(bytesOf(c.ciphertext), { aad: c.aad }), 'INVALID_CIPHERTEXT');
    await expectKmsError(decrypt(bytesOf(c.ciphertext), { aad: c.aad, salt: b.random }), 'INVALID_CIPHERTEXT');
  });

  it('a salt outside 12..64 bytes → VALIDATION_ERROR; a session key of the wrong size → INVALID_CIPHERTEXT', () => {
    expect(() => mosipEncrypt(goldenCertificatePem, new Uint8Array(1), { salt: new Uint8Array(8) })).toThrow(
      ValidationError,
    );
    expect(() => openDataPart(SecretBytes.random(16), new Uint8Array(64), { versioned: true })).toThrow(
      InvalidCiphertextError,
    );
  });

  it('a non-RSA or short RSA certificate, or garbage, → INVALID_CERTIFICATE', async () => {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = await crypto.subtle.generateKey(alg, false, ['sign', 'verify']);
    const ec = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=ec', keys, signingAlgorithm: alg });
    for (const cert of [ec, 'not a pem', new Uint8Array([1, 2, 3])]) {
      expect(() => mosipEncrypt(cert, new Uint8Array(1))).toThrow(ValidationError);
    }
  });
});

describe('MOSIP base64', () => {
  it('emits base64url with padding, reads url or standard, padded or not', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xfe, 0x01]);
    expect(encodeMosipBase64(bytes)).toBe('-__-AQ==');
    for (const text of ['-__-AQ==', '-__-AQ', '+//+AQ==', '+//+AQ']) expect(decodeMosipBase64(text)).toEqual(bytes);
    expect(decodeMosipBase64('')).toEqual(new Uint8Array());
  });

  it('refuses stray characters, impossible lengths, inner padding and non-zero trailing bits', () => {
    for (const text of ['AB$D', 'A', 'AB=C', 'ABC==', 'AQ=', '-_+/', 'AR==', ' AQ=='])
      expect(decodeMosipBase64(text), text).toBeNull();
  });
});
