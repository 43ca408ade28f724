import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InvalidCiphertextError } from '@custos/contract';
import { mosipDecrypt } from '../../../src/core/mosip/hybrid-decrypt.js';
import { mosipEncrypt } from '../../../src/core/mosip/hybrid-encrypt.js';
import { decodeMosipBase64, encodeMosipBase64 } from '../../../src/core/mosip/mosip-base64.js';
import { SecretBytes } from '../../../src/core/secret-bytes.js';
import {
  compileJce,
  describeJce,
  GOLDEN_CERT_PATH,
  GOLDEN_KEY_PATH,
  type JceHarness,
} from '../../helpers/mosip-jce.js';
import { golden, goldenCertificatePem, goldenUnwrap } from './golden.js';

const LAYOUTS = [
  { name: 'VER_R2 (no salt, no aad)' },
  { name: 'aad only', aad: randomBytes(32).toString('base64') },
  { name: 'salt 12 and aad', aad: randomBytes(7).toString('base64'), salt: randomBytes(12).toString('base64') },
  { name: 'salt 16', salt: randomBytes(16).toString('base64') },
] as const;

const b = (text: string | undefined): Uint8Array | undefined =>
  text === undefined ? undefined : new Uint8Array(Buffer.from(text, 'base64'));

/** Custos's decryption with node:crypto's RSA-OAEP as the session-key side. */
const custosDecrypt = (text: string, aad?: string, salt?: string): Promise<Uint8Array> =>
  mosipDecrypt(decodeMosipBase64(text) ?? new Uint8Array(), { aad: b(aad), salt: b(salt) }, (_tp, ek) => {
    try {
      return Promise.resolve(SecretBytes.adopt(goldenUnwrap(ek)));
    } catch (cause) {
      return Promise.reject(new InvalidCiphertextError({ cause }));
    }
  });

describeJce('MOSIP hybrid format against a Java JCE implementation')('MOSIP hybrid format ⇄ Java JCE (SunJCE)', () => {
  let jce: JceHarness;
  beforeAll(() => {
    jce = compileJce();
  });
  afterAll(() => {
    jce.close();
  });

  for (const layout of LAYOUTS) {
    const aad = 'aad' in layout ? layout.aad : undefined;
    const salt = 'salt' in layout ? layout.salt : undefined;
    it(`Custos → Java and Java → Custos: ${layout.name}`, async () => {
      const data = randomBytes(100);
      const ours = encodeMosipBase64(mosipEncrypt(goldenCertificatePem, data, { aad: b(aad), salt: b(salt) }));
      expect(await jce.decrypt(GOLDEN_KEY_PATH, GOLDEN_CERT_PATH, ours, { aad, salt })).toBe(data.toString('base64'));
      const theirs = await jce.encrypt(GOLDEN_CERT_PATH, data.toString('base64'), { aad, salt });
      expect(theirs).toMatch(/^[A-Za-z0-9_-]+={0,2}$/);
      expect(Buffer.from(await custosDecrypt(theirs, aad, salt))).toEqual(data);
    });
  }

  it('Java → Custos without a thumbprint (release 1.2.0), and Java reads every golden vector', async () => {
    const theirs = await jce.encrypt(GOLDEN_CERT_PATH, 'aGVsbG8=', { noThumbprint: true });
    expect(Buffer.from(await custosDecrypt(theirs)).toString()).toBe('hello');
    for (const v of golden.vectors) {
      const options = { aad: v.aad, salt: v.salt };
      expect(await jce.decrypt(GOLDEN_KEY_PATH, GOLDEN_CERT_PATH, v.ciphertext, options), v.name).toBe(v.plaintext);
    }
  });

  it('the harness can fail: Java refuses Custos bytes with a flipped tag byte or a wrong aad', async () => {
    const bytes = mosipEncrypt(goldenCertificatePem, randomBytes(10));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    await expect(jce.decrypt(GOLDEN_KEY_PATH, GOLDEN_CERT_PATH, encodeMosipBase64(bytes))).rejects.toThrow(
      /decrypt failed/,
    );
    const aad = randomBytes(5).toString('base64');
    const other = encodeMosipBase64(mosipEncrypt(goldenCertificatePem, randomBytes(10), { aad: b(aad) }));
    await expect(jce.decrypt(GOLDEN_KEY_PATH, GOLDEN_CERT_PATH, other, { aad: 'AAAA' })).rejects.toThrow(
      /decrypt failed/,
    );
  });
});
