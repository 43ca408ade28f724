// The jwk facade's key cases for describeJwkContract (jwk-contract.ts), run inside its describe on LocalKms and
// RemoteKms: import (and its refusals), export, JWE both ways with jose, listing, tags, x5c and destroy.
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import {
  CompactEncrypt,
  CompactSign,
  base64url,
  compactDecrypt,
  compactVerify,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  type JWK,
} from 'jose';
import { expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import {
  AccessDeniedError,
  InvalidCiphertextError,
  UnsupportedError,
  ValidationError,
  type Jwk,
  type Kms,
} from '@custos/contract';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const flip = (text: string, at: number): string =>
  text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
const joseKey = (jwk: Jwk, alg: string) => importJWK(jwk as JWK, alg);

/**
 * Registers the key cases; `kms()` is the implementation under test once the suite has started, `kid(alg)` the id
 * of the key the suite generated for a signing alg.
 */
export function registerJwkKeyCases(kms: () => Kms, kid: (alg: string) => string): void {
  it('importPrivateKey keeps an EC, OKP or RSA private JWK (origin EXTERNAL) that then signs for jose', async () => {
    const cases: [string, JsonWebKeyWithKty, string][] = [
      ['ES256', privateJwk('ec', { namedCurve: 'P-256' }), 'ES256'],
      ['EdDSA', privateJwk('ed25519'), 'EdDSA'],
      ['RS256', { ...privateJwk('rsa', { modulusLength: 2048 }), alg: 'RS256' }, 'RS256'],
    ];
    for (const [, given, alg] of cases) {
      const { kid: id, jwk } = await kms().jwk.importPrivateKey(given);
      expect(jwk).toMatchObject({ kid: id, alg, ...(given.x ? { x: given.x } : { n: given.n }) });
      expect(jwk.d).toBeUndefined();
      expect((await kms().describeKey({ keyId: id })).keyMetadata.origin).toBe('EXTERNAL');
      const { jwt } = await kms().signJwt({ keyId: id, claims: { imported: true } });
      await expect(jwtVerify(jwt, await importJWK(given as JWK, alg))).resolves.toBeDefined();
    }
  });

  it('importPrivateKey refuses a public, malformed or mismatched JWK', async () => {
    const ec = privateJwk('ec', { namedCurve: 'P-256' });
    const { d: _d, ...publicOnly } = ec;
    await expectKmsError(kms().jwk.importPrivateKey(publicOnly), 'INVALID_KEY_MATERIAL', ValidationError);
    await expectKmsError(kms().jwk.importPrivateKey({ ...ec, d: 'AAAA' }), 'INVALID_KEY_MATERIAL', ValidationError);
    await expectKmsError(kms().jwk.importPrivateKey({ kty: 'EC', d: 'x' }), 'INVALID_KEY_MATERIAL', ValidationError);
    await expectKmsError(
      kms().jwk.importPrivateKey({ kty: 'oct', k: 'AAAA' }),
      'INVALID_KEY_MATERIAL',
      ValidationError,
    );
    await expectKmsError(kms().jwk.importPrivateKey({ ...ec, alg: 'ES384' }), 'INVALID_KEY_USAGE', ValidationError);
    await expectKmsError(kms().jwk.importPrivateKey({ ...ec, alg: 'XX1' }), 'UNSUPPORTED', UnsupportedError);
    // An RSA key could sign or encrypt with any of eight algorithms: it must say which.
    await expectKmsError(
      kms().jwk.importPrivateKey(privateJwk('rsa', { modulusLength: 2048 })),
      'VALIDATION_ERROR',
      ValidationError,
    );
  });

  it('exportPrivateKey releases an exportable key (jose signs with it, Custos verifies) and refuses the others', async () => {
    const { kid: id } = await kms().jwk.generateKeyPair('ES384', { exportable: true });
    const privateKey = await kms().jwk.exportPrivateKey(id);
    expect(privateKey).toMatchObject({ kid: id, kty: 'EC', crv: 'P-384', alg: 'ES384' });
    expect(typeof privateKey.d).toBe('string');
    const input = `${base64url.encode(JSON.stringify({ alg: 'ES384' }))}.${base64url.encode('x')}`;
    const { d, ...rest } = privateKey;
    const signer = await importJWK({ ...rest, d, key_ops: ['sign'] } as JWK, 'ES384');
    const jws = await new CompactSign(utf8('x')).setProtectedHeader({ alg: 'ES384' }).sign(signer);
    expect(jws.startsWith(input)).toBe(true);
    expect(await kms().jwk.verify(id, utf8(input), base64url.decode(jws.split('.')[2]!))).toBe(true);
    await expectKmsError(kms().jwk.exportPrivateKey(kid('ES256')), 'ACCESS_DENIED', AccessDeniedError);
  });

  it('RSA-OAEP-256 JWE: Custos encrypts and decrypts, opens what jose encrypts to the JWK, refuses tampering', async () => {
    const { kid: id, jwk } = await kms().jwk.generateKeyPair('RSA-OAEP-256');
    expect(jwk).toMatchObject({ alg: 'RSA-OAEP-256', key_ops: ['encrypt', 'wrapKey'] });
    const jwe = await kms().jwk.encrypt(id, utf8('secret'));
    expect(decodeProtectedHeader(jwe)).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: id });
    expect(new TextDecoder().decode(await kms().jwk.decrypt(id, jwe))).toBe('secret');
    const fromJose = await new CompactEncrypt(utf8('from jose'))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })
      .encrypt(await joseKey(jwk, 'RSA-OAEP-256'));
    expect(new TextDecoder().decode(await kms().jwk.decrypt(id, fromJose))).toBe('from jose');
    const parts = jwe.split('.');
    for (const at of [1, 2, 3, 4]) {
      const tampered = parts.map((p, i) => (i === at ? flip(p, 5) : p)).join('.');
      await expectKmsError(kms().jwk.decrypt(id, tampered), 'INVALID_CIPHERTEXT', InvalidCiphertextError);
    }
    await expectKmsError(kms().jwk.decrypt(id, 'a.b.c'), 'INVALID_CIPHERTEXT', InvalidCiphertextError);
    // An RSA-OAEP (SHA-1) key cannot take RSA-OAEP-256 JWEs.
    const { kid: sha1 } = await kms().jwk.generateKeyPair('RSA-OAEP');
    await expectKmsError(kms().jwk.encrypt(sha1, utf8('x')), 'INVALID_KEY_USAGE', ValidationError);
  });

  it('dir JWE with a symmetric key: Custos encrypts and decrypts after rotation; jose reads it with the exported key', async () => {
    const { keyMetadata } = await kms().createKey({ exportable: true });
    const id = keyMetadata.keyId.split('/').pop()!;
    const jwe = await kms().jwk.encrypt(id, utf8('dir secret'));
    expect(decodeProtectedHeader(jwe)).toEqual({ alg: 'dir', enc: 'A256GCM', kid: id, kver: 1 });
    expect(jwe.split('.')[1]).toBe('');
    const { k } = await kms().jwk.exportPrivateKey(id);
    const fromJose = await compactDecrypt(jwe, base64url.decode(k!));
    expect(new TextDecoder().decode(fromJose.plaintext)).toBe('dir secret');
    const joseMade = await new CompactEncrypt(utf8('made by jose'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(base64url.decode(k!));
    expect(new TextDecoder().decode(await kms().jwk.decrypt(id, joseMade))).toBe('made by jose');
    await kms().rotateKeyOnDemand({ keyId: id });
    expect(new TextDecoder().decode(await kms().jwk.decrypt(id, jwe))).toBe('dir secret');
    expect(decodeProtectedHeader(await kms().jwk.encrypt(id, utf8('v2')))).toMatchObject({ kver: 2 });
    const [h, , iv, ct, tag] = jwe.split('.');
    await expectKmsError(kms().jwk.decrypt(id, `${h}..${iv}.${flip(ct!, 2)}.${tag}`), 'INVALID_CIPHERTEXT');
    await expectKmsError(kms().jwk.decrypt(kid('ES256'), jwe), 'INVALID_CIPHERTEXT', InvalidCiphertextError);
  });

  it('getPublicKeys lists the asymmetric keys; destroy schedules deletion with the shortest window', async () => {
    const { kid: id } = await kms().jwk.generateKeyPair('EdDSA');
    const listed = await kms().jwk.getPublicKeys();
    expect(listed.map((j) => j.kid)).toEqual(expect.arrayContaining([id, kid('ES256'), kid('PS512')]));
    expect(listed.every((j) => j.kty !== 'oct' && j.d === undefined)).toBe(true);
    await kms().jwk.destroy(id);
    const { keyMetadata } = await kms().describeKey({ keyId: id });
    expect(keyMetadata.keyState).toBe('PendingDeletion');
    expect(keyMetadata.pendingDeletionWindowInDays).toBe(7);
    expect((await kms().jwk.getPublicKeys()).map((j) => j.kid)).not.toContain(id);
  });

  it('a key with a certificate carries x5c in its JWK and, when asked, in its JWS header; without one includeX5c is refused', async () => {
    const { kid: id } = await kms().jwk.generateKeyPair('ES256');
    await expectKmsError(kms().signJws({ keyId: id, payload: 'aGk', includeX5c: true }), 'VALIDATION_ERROR');
    expect((await kms().jwk.getPublicKey(id)).x5c).toBeUndefined();
    const { certificate } = await kms().createSelfSignedCertificate({ keyId: id, subject: 'CN=jwk', validityDays: 1 });
    const der = new X509Certificate(certificate).raw.toString('base64');
    const jwk = await kms().jwk.getPublicKey(id);
    expect(jwk.x5c).toEqual([der]);
    expect((await kms().getPublicKey({ keyId: id })).jwk.x5c).toEqual([der]);
    expect((await kms().jwk.getPublicKeys()).find((j) => j.kid === id)?.x5c).toEqual([der]);
    const { jws } = await kms().signJws({ keyId: id, payload: 'aGk', includeX5c: true });
    expect(decodeProtectedHeader(jws).x5c).toEqual([der]);
    await expect(compactVerify(jws, await joseKey(jwk, 'ES256'))).resolves.toBeDefined();
    expect((await kms().verifyJws({ jws })).valid).toBe(true);
  });

  it('listJwks filters by tag (keyrings have no filter yet)', async () => {
    const tag = `team-${Math.random().toString(36).slice(2)}`;
    const { kid: tagged } = await kms().jwk.generateKeyPair('ES256');
    await kms().tagResource({ keyId: tagged, tags: [{ tagKey: tag, tagValue: 'blue' }] });
    expect((await kms().listJwks({ tagKey: tag })).keys.map((j) => j.kid)).toEqual([tagged]);
    expect((await kms().listJwks({ tagKey: tag, tagValue: 'blue' })).keys.map((j) => j.kid)).toEqual([tagged]);
    expect((await kms().listJwks({ tagKey: tag, tagValue: 'red' })).keys).toEqual([]);
    await expectKmsError(kms().listJwks({ tagValue: 'blue' }), 'VALIDATION_ERROR', ValidationError);
  });
}

type JsonWebKeyWithKty = Jwk & { x?: string; n?: string };

/** A fresh private JWK from node:crypto. */
function privateJwk(type: 'ec' | 'ed25519' | 'rsa', options: object = {}): JsonWebKeyWithKty {
  const { privateKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string });
  return privateKey.export({ format: 'jwk' }) as JsonWebKeyWithKty;
}
