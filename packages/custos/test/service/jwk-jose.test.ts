// The JWKs that GetPublicKey and ExportKey return, read by jose as a JOSE peer would: imported, and used under the
// JWK's own alg (a JWS that Custos signed, a JWE that Custos opens). Guards the alg of every asymmetric spec.
import { createDecipheriv, createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import { CompactEncrypt, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyUsage, SigningAlgorithm } from '@custos/contract';
import { KEY_SPEC_ENTRIES, type KeySpecEntry } from '../../src/core/key-specs.js';
import { openTestKms, text, utf8, type TestKms } from './helpers.js';

// RSA_3072/4096 behave as RSA_2048 here (same descriptor); generating them is slow.
const SPECS = KEY_SPEC_ENTRIES.filter(
  (spec) => spec.family.material === 'pkcs8' && (spec.modulusBits ?? 2048) === 2048,
);
const b64u = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const fromB64u = (s: string | undefined) => new Uint8Array(Buffer.from(s ?? '', 'base64url'));

/** ECDSA signatures leave Custos as DER (as AWS KMS); JWS wants r || s (RFC 7518 §3.4). */
function joseSignature(spec: KeySpecEntry, der: Uint8Array): Uint8Array {
  const ecdsa = spec.family.material === 'pkcs8' ? spec.family.ecdsa : undefined;
  return ecdsa === undefined ? der : ecdsa.noble.Signature.fromBytes(der, 'der').toBytes('compact');
}

/** Opens a compact JWE's A256GCM content with the CEK Custos recovered (RFC 7516 §5.2). */
function openContent(jwe: string, cek: Uint8Array): string {
  const [header = '', , iv, ciphertext, tag] = jwe.split('.');
  const decipher = createDecipheriv('aes-256-gcm', cek, fromB64u(iv), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(header, 'ascii'));
  decipher.setAuthTag(fromB64u(tag));
  return text(Buffer.concat([decipher.update(fromB64u(ciphertext)), decipher.final()]));
}

/** ECDH-ES key derivation for enc A256GCM (RFC 7518 §4.6.2: Concat KDF, SP 800-56A §5.8.1, empty apu/apv). */
function concatKdf(z: Uint8Array): Uint8Array {
  const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
  const enc = Buffer.from('A256GCM');
  return createHash('sha256')
    .update(Buffer.concat([u32(1), z, u32(enc.length), enc, u32(0), u32(0), u32(256)]))
    .digest();
}

describe('JWKs through the service, read by jose', () => {
  let t: TestKms;
  const create = async (spec: KeySpecEntry, usage: KeyUsage, allowed?: SigningAlgorithm) =>
    (
      await t.kms.createKey({
        keySpec: spec.name,
        keyUsage: usage,
        exportable: true,
        ...(allowed === undefined ? {} : { usageConstraints: { allowedAlgorithms: [allowed] } }),
      })
    ).keyMetadata.keyId;

  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());

  for (const spec of SPECS) {
    for (const usage of spec.usages) {
      it(`${spec.name} ${usage}: jose imports the public and the exported private JWK, which name the same alg`, async () => {
        const keyId = await create(spec, usage);
        const { jwk } = await t.kms.getPublicKey({ keyId });
        const exported = (await t.kms.exportKey({ keyId, format: 'JWK' })).jwk;
        expect(exported?.alg).toBe(jwk.alg);
        // Only an RSA signing key (six algorithms) names none; a verifier picks one.
        if (spec.family.name === 'rsa' && usage === 'SIGN_VERIFY') expect(jwk.alg).toBeUndefined();
        else expect(jwk.alg).toBeDefined();
        const alg = typeof jwk.alg === 'string' ? jwk.alg : 'PS256';
        await expect(importJWK(jwk as JWK, alg)).resolves.toBeDefined();
        await expect(importJWK(exported as JWK, alg)).resolves.toBeDefined();
      });
    }

    for (const algorithm of spec.signing) {
      it(`${spec.name} ${algorithm}: a JWS Custos signs verifies in jose under the public JWK's alg`, async () => {
        const keyId = await create(spec, 'SIGN_VERIFY', algorithm);
        const { jwk } = await t.kms.getPublicKey({ keyId });
        const input = `${b64u(JSON.stringify({ alg: jwk.alg }))}.${b64u('custos')}`;
        const { signature } = await t.kms.sign({ keyId, message: utf8(input), signingAlgorithm: algorithm });
        const jws = `${input}.${b64u(joseSignature(spec, signature))}`;
        const { payload } = await compactVerify(jws, await importJWK(jwk as JWK));
        expect(text(payload)).toBe('custos');
      });
    }
  }

  it('RSA_2048 ENCRYPT_DECRYPT: a JWE to the public JWK (RSA-OAEP-256) opens with Custos Decrypt', async () => {
    const keyId = await create(
      SPECS.find((s) => s.name === 'RSA_2048')!,
      'ENCRYPT_DECRYPT',
    );
    const { jwk } = await t.kms.getPublicKey({ keyId });
    expect(jwk.alg).toBe('RSA-OAEP-256');
    const jwe = await new CompactEncrypt(utf8('to custos'))
      .setProtectedHeader({ alg: String(jwk.alg), enc: 'A256GCM' })
      .encrypt(await importJWK(jwk as JWK));
    const { plaintext: cek } = await t.kms.decrypt({
      keyId,
      ciphertextBlob: fromB64u(jwe.split('.')[1]),
      encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
    });
    expect(openContent(jwe, cek)).toBe('to custos');
  });

  for (const spec of SPECS.filter((s) => s.usages.includes('KEY_AGREEMENT'))) {
    it(`${spec.name} KEY_AGREEMENT: an ECDH-ES JWE to the public JWK opens with Custos DeriveSharedSecret`, async () => {
      const keyId = await create(spec, 'KEY_AGREEMENT');
      const { jwk } = await t.kms.getPublicKey({ keyId });
      expect(jwk.alg).toBe('ECDH-ES');
      const jwe = await new CompactEncrypt(utf8('agreed'))
        .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM' })
        .encrypt(await importJWK(jwk as JWK));
      const epk = decodeProtectedHeader(jwe).epk as JsonWebKey;
      const peer = createPublicKey({ key: epk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
      const { sharedSecret } = await t.kms.deriveSharedSecret({
        keyId,
        keyAgreementAlgorithm: 'ECDH',
        publicKey: new Uint8Array(peer),
      });
      expect(openContent(jwe, concatKdf(sharedSecret!))).toBe('agreed');
    });
  }
});
