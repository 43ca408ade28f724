// The jwk facade and the JOSE operations, one suite for LocalKms and RemoteKms (as kms-contract.ts): every JWS,
// JWT and JOSE signature Custos makes is verified by jose with the key's JWK as served, and jose's own JWEs are
// opened by Custos (and Custos's by jose, with an exported key). Bad input: unknown alg, an alg the key cannot do,
// a public or malformed JWK, a non-exportable key, tampered JWS parts, a header that overrides alg or kid.
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import {
  CompactEncrypt,
  base64url,
  compactDecrypt,
  compactVerify,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  type JWK,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import {
  AccessDeniedError,
  InvalidCiphertextError,
  NotFoundError,
  UnsupportedError,
  ValidationError,
  type Jwk,
  type JwkKeyPairAlg,
  type Kms,
} from '@custos/contract';
import type { KmsUnderTest } from './kms-contract.js';

/** Every signing algorithm jose supports that a Custos spec has. */
const SIGNING_ALGS: readonly JwkKeyPairAlg[] = [
  'ES256',
  'ES384',
  'ES512',
  'ES256K',
  'EdDSA',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
];

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const flip = (text: string, at: number): string =>
  text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
const joseKey = (jwk: Jwk, alg: string) => importJWK(jwk as JWK, alg);

/**
 * Registers the suite for one implementation (`make` as for describeKmsContract).
 * @example describeJwkContract('LocalKms', makeLocal);
 */
export function describeJwkContract(name: string, make: () => Promise<KmsUnderTest>): void {
  describe(`jwk facade and JOSE operations: ${name}`, () => {
    let under: KmsUnderTest;
    let kms: Kms;
    const kids = new Map<string, string>();
    beforeAll(async () => {
      under = await make();
      kms = under.kms;
      for (const alg of SIGNING_ALGS) kids.set(alg, (await kms.jwk.generateKeyPair(alg)).kid);
    }, 120_000);
    afterAll(async () => under?.cleanup());
    const kid = (alg: string) => kids.get(alg)!;

    for (const alg of SIGNING_ALGS) {
      it(`${alg}: the public JWK names it, and jose verifies Custos's JWT, JWS and JOSE signature with that JWK`, async () => {
        const jwk = await kms.jwk.getPublicKey(kid(alg));
        expect(jwk).toMatchObject({ kid: kid(alg), alg, key_ops: ['verify'] });
        expect(jwk.d).toBeUndefined();
        const key = await joseKey(jwk, alg);

        const { jwt } = await kms.signJwt({ keyId: kid(alg), claims: { sub: 'alice' }, expiresIn: 60 });
        const verified = await jwtVerify(jwt, key, { algorithms: [alg] });
        expect(verified.protectedHeader).toEqual({ alg, kid: kid(alg), typ: 'JWT' });
        expect(verified.payload.sub).toBe('alice');
        expect(verified.payload.exp! - verified.payload.iat!).toBe(60);

        const { jws } = await kms.signJws({ keyId: kid(alg), payload: base64url.encode('hello') });
        expect(new TextDecoder().decode((await compactVerify(jws, key)).payload)).toBe('hello');

        // The facade's signature is the JWS signature form: jose verifies it over a JWS signing input.
        const input = `${base64url.encode(JSON.stringify({ alg }))}.${base64url.encode('raw')}`;
        const signature = await kms.jwk.sign(kid(alg), utf8(input));
        await expect(compactVerify(`${input}.${base64url.encode(signature)}`, key)).resolves.toBeDefined();
        expect(await kms.jwk.verify(kid(alg), utf8(input), signature)).toBe(true);
        expect(await kms.jwk.verify(kid(alg), utf8(`${input}x`), signature)).toBe(false);
      });
    }

    it('ES* signatures are raw r‖s of twice the field size (RFC 7518 §3.4), not DER', async () => {
      expect((await kms.jwk.sign(kid('ES256'), utf8('m'))).length).toBe(64);
      expect((await kms.jwk.sign(kid('ES384'), utf8('m'))).length).toBe(96);
      expect((await kms.jwk.sign(kid('ES512'), utf8('m'))).length).toBe(132);
      expect(await kms.jwk.verify(kid('ES256'), utf8('m'), new Uint8Array(70))).toBe(false);
    });

    it('verifyJws finds the key by kid and answers valid with header and payload; a tampered part is valid: false', async () => {
      const { jws } = await kms.signJws({
        keyId: kid('ES256'),
        payload: base64url.encode('pay'),
        protectedHeader: { typ: 'example+jws' },
      });
      const ok = await kms.verifyJws({ jws });
      expect(ok).toEqual({
        valid: true,
        header: { typ: 'example+jws', alg: 'ES256', kid: kid('ES256') },
        payload: base64url.encode('pay'),
      });
      const [header = '', payload = '', signature = ''] = jws.split('.');
      const otherHeader = base64url.encode(JSON.stringify({ alg: 'ES256', kid: kid('ES256'), typ: 'x' }));
      for (const tampered of [
        `${header}.${base64url.encode('pax')}.${signature}`,
        `${otherHeader}.${payload}.${signature}`,
        `${header}.${payload}.${flip(signature, 3)}`,
        `${header}.${payload}.${signature.slice(0, -4)}`,
        `not-json.${payload}.${signature}`,
      ])
        expect(await kms.verifyJws({ jws: tampered })).toEqual({ valid: false });
    });

    it('a detached JWS has no payload part and verifies with the payload given (and not with another)', async () => {
      const payload = base64url.encode('detached body');
      const { jws } = await kms.signJws({ keyId: kid('EdDSA'), payload, detached: true });
      expect(jws.split('.')[1]).toBe('');
      expect((await kms.verifyJws({ jws, payload })).valid).toBe(true);
      expect((await kms.verifyJws({ jws, payload: base64url.encode('other') })).valid).toBe(false);
    });

    it('a JWS naming an unknown kid is KEY_NOT_FOUND, one naming none is VALIDATION_ERROR', async () => {
      const { jws } = await kms.signJws({ keyId: kid('ES256'), payload: 'aGk' });
      const [, payload = '', signature = ''] = jws.split('.');
      const unknown = base64url.encode(JSON.stringify({ alg: 'ES256', kid: '00000000-0000-4000-8000-000000000000' }));
      await expectKmsError(
        kms.verifyJws({ jws: `${unknown}.${payload}.${signature}` }),
        'KEY_NOT_FOUND',
        NotFoundError,
      );
      const none = base64url.encode(JSON.stringify({ alg: 'ES256' }));
      await expectKmsError(
        kms.verifyJws({ jws: `${none}.${payload}.${signature}` }),
        'VALIDATION_ERROR',
        ValidationError,
      );
    });

    it('the protected header may not override alg or kid, nor set x5c or crit', async () => {
      const keyId = kid('ES256');
      for (const protectedHeader of [
        { alg: 'ES384' },
        { alg: 'none' },
        { kid: 'someone-else' },
        { x5c: ['AAAA'] },
        { crit: ['exp'], exp: 1 },
      ])
        await expectKmsError(
          kms.signJws({ keyId, payload: 'aGk', protectedHeader }),
          'VALIDATION_ERROR',
          ValidationError,
        );
      // Naming the key's own alg and kid is no override.
      const { jws } = await kms.signJws({ keyId, payload: 'aGk', protectedHeader: { alg: 'ES256', kid: keyId } });
      expect(decodeProtectedHeader(jws)).toEqual({ alg: 'ES256', kid: keyId });
    });

    it('an unconstrained RSA signing key takes its alg from the header; without one it is VALIDATION_ERROR', async () => {
      const { keyMetadata } = await kms.createKey({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' });
      const keyId = keyMetadata.keyId.split('/').pop()!;
      expect((await kms.jwk.getPublicKey(keyId)).alg).toBeUndefined();
      const { jws } = await kms.signJws({ keyId, payload: 'aGk', protectedHeader: { alg: 'PS384' } });
      const jwk = await kms.jwk.getPublicKey(keyId);
      await expect(compactVerify(jws, await joseKey(jwk, 'PS384'))).resolves.toBeDefined();
      expect((await kms.verifyJws({ jws })).valid).toBe(true);
      await expectKmsError(kms.signJws({ keyId, payload: 'aGk' }), 'VALIDATION_ERROR', ValidationError);
      await expectKmsError(
        kms.signJws({ keyId, payload: 'aGk', protectedHeader: { alg: 'ES256' } }),
        'INVALID_KEY_USAGE',
        ValidationError,
      );
    });

    it('generateKeyPair refuses an alg no spec has (UNSUPPORTED); sign with a key that cannot do it is INVALID_KEY_USAGE', async () => {
      for (const alg of ['HS256', 'none', 'ES257', 'dir'])
        await expectKmsError(kms.jwk.generateKeyPair(alg as JwkKeyPairAlg), 'UNSUPPORTED', UnsupportedError);
      const { kid: agreement } = await kms.jwk.generateKeyPair('ECDH-ES');
      await expectKmsError(kms.jwk.sign(agreement, utf8('m')), 'INVALID_KEY_USAGE', ValidationError);
      await expectKmsError(
        kms.signJose({ keyId: kid('ES256'), message: utf8('m'), alg: 'ES384' }),
        'INVALID_KEY_USAGE',
        ValidationError,
      );
      const { keyMetadata } = await kms.createKey({});
      await expectKmsError(kms.jwk.sign(keyMetadata.keyId, utf8('m')), 'INVALID_KEY_USAGE', ValidationError);
      await expectKmsError(kms.jwk.getPublicKey(keyMetadata.keyId), 'INVALID_KEY_USAGE', ValidationError);
      await expectKmsError(kms.jwk.getPublicKey('alias/none'), 'ALIAS_NOT_FOUND', NotFoundError);
    });

    it('an ECDH-ES key is a JWK with no key_ops that jose imports', async () => {
      const { kid: id, jwk } = await kms.jwk.generateKeyPair('ECDH-ES');
      expect(jwk).toMatchObject({ kid: id, kty: 'EC', crv: 'P-256', alg: 'ECDH-ES' });
      expect(jwk.key_ops ?? []).toEqual([]);
      await expect(joseKey(jwk, 'ECDH-ES')).resolves.toBeDefined();
    });

    it('importPrivateKey keeps an EC, OKP or RSA private JWK (origin EXTERNAL) that then signs for jose', async () => {
      const cases: [string, JsonWebKeyWithKty, string][] = [
        ['ES256', privateJwk('ec', { namedCurve: 'P-256' }), 'ES256'],
        ['EdDSA', privateJwk('ed25519'), 'EdDSA'],
        ['RS256', { ...privateJwk('rsa', { modulusLength: 2048 }), alg: 'RS256' }, 'RS256'],
      ];
      for (const [, given, alg] of cases) {
        const { kid: id, jwk } = await kms.jwk.importPrivateKey(given);
        expect(jwk).toMatchObject({ kid: id, alg, ...(given.x ? { x: given.x } : { n: given.n }) });
        expect(jwk.d).toBeUndefined();
        expect((await kms.describeKey({ keyId: id })).keyMetadata.origin).toBe('EXTERNAL');
        const { jwt } = await kms.signJwt({ keyId: id, claims: { imported: true } });
        await expect(jwtVerify(jwt, await importJWK(given as JWK, alg))).resolves.toBeDefined();
      }
    });

    it('importPrivateKey refuses a public, malformed or mismatched JWK', async () => {
      const ec = privateJwk('ec', { namedCurve: 'P-256' });
      const { d: _d, ...publicOnly } = ec;
      await expectKmsError(kms.jwk.importPrivateKey(publicOnly), 'INVALID_KEY_MATERIAL', ValidationError);
      await expectKmsError(kms.jwk.importPrivateKey({ ...ec, d: 'AAAA' }), 'INVALID_KEY_MATERIAL', ValidationError);
      await expectKmsError(kms.jwk.importPrivateKey({ kty: 'EC', d: 'x' }), 'INVALID_KEY_MATERIAL', ValidationError);
      await expectKmsError(
        kms.jwk.importPrivateKey({ kty: 'oct', k: 'AAAA' }),
        'INVALID_KEY_MATERIAL',
        ValidationError,
      );
      await expectKmsError(kms.jwk.importPrivateKey({ ...ec, alg: 'ES384' }), 'INVALID_KEY_USAGE', ValidationError);
      await expectKmsError(kms.jwk.importPrivateKey({ ...ec, alg: 'XX1' }), 'UNSUPPORTED', UnsupportedError);
      // An RSA key could sign or encrypt with any of eight algorithms: it must say which.
      await expectKmsError(
        kms.jwk.importPrivateKey(privateJwk('rsa', { modulusLength: 2048 })),
        'VALIDATION_ERROR',
        ValidationError,
      );
    });

    it('exportPrivateKey releases an exportable key (jose signs with it, Custos verifies) and refuses the others', async () => {
      const { kid: id } = await kms.jwk.generateKeyPair('ES384', { exportable: true });
      const privateKey = await kms.jwk.exportPrivateKey(id);
      expect(privateKey).toMatchObject({ kid: id, kty: 'EC', crv: 'P-384', alg: 'ES384' });
      expect(typeof privateKey.d).toBe('string');
      const input = `${base64url.encode(JSON.stringify({ alg: 'ES384' }))}.${base64url.encode('x')}`;
      const { d, ...rest } = privateKey;
      const signer = await importJWK({ ...rest, d, key_ops: ['sign'] } as JWK, 'ES384');
      const { CompactSign } = await import('jose');
      const jws = await new CompactSign(utf8('x')).setProtectedHeader({ alg: 'ES384' }).sign(signer);
      expect(jws.startsWith(input)).toBe(true);
      expect(await kms.jwk.verify(id, utf8(input), base64url.decode(jws.split('.')[2]!))).toBe(true);
      await expectKmsError(kms.jwk.exportPrivateKey(kid('ES256')), 'ACCESS_DENIED', AccessDeniedError);
    });

    it('RSA-OAEP-256 JWE: Custos encrypts and decrypts, opens what jose encrypts to the JWK, refuses tampering', async () => {
      const { kid: id, jwk } = await kms.jwk.generateKeyPair('RSA-OAEP-256');
      expect(jwk).toMatchObject({ alg: 'RSA-OAEP-256', key_ops: ['encrypt', 'wrapKey'] });
      const jwe = await kms.jwk.encrypt(id, utf8('secret'));
      expect(decodeProtectedHeader(jwe)).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: id });
      expect(new TextDecoder().decode(await kms.jwk.decrypt(id, jwe))).toBe('secret');
      const fromJose = await new CompactEncrypt(utf8('from jose'))
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })
        .encrypt(await joseKey(jwk, 'RSA-OAEP-256'));
      expect(new TextDecoder().decode(await kms.jwk.decrypt(id, fromJose))).toBe('from jose');
      const parts = jwe.split('.');
      for (const at of [1, 2, 3, 4]) {
        const tampered = parts.map((p, i) => (i === at ? flip(p, 5) : p)).join('.');
        await expectKmsError(kms.jwk.decrypt(id, tampered), 'INVALID_CIPHERTEXT', InvalidCiphertextError);
      }
      await expectKmsError(kms.jwk.decrypt(id, 'a.b.c'), 'INVALID_CIPHERTEXT', InvalidCiphertextError);
      // An RSA-OAEP (SHA-1) key cannot take RSA-OAEP-256 JWEs.
      const { kid: sha1 } = await kms.jwk.generateKeyPair('RSA-OAEP');
      await expectKmsError(kms.jwk.encrypt(sha1, utf8('x')), 'INVALID_KEY_USAGE', ValidationError);
    });

    it('dir JWE with a symmetric key: Custos encrypts and decrypts after rotation; jose reads it with the exported key', async () => {
      const { keyMetadata } = await kms.createKey({ exportable: true });
      const id = keyMetadata.keyId.split('/').pop()!;
      const jwe = await kms.jwk.encrypt(id, utf8('dir secret'));
      expect(decodeProtectedHeader(jwe)).toEqual({ alg: 'dir', enc: 'A256GCM', kid: id, kver: 1 });
      expect(jwe.split('.')[1]).toBe('');
      const { k } = await kms.jwk.exportPrivateKey(id);
      const fromJose = await compactDecrypt(jwe, base64url.decode(k!));
      expect(new TextDecoder().decode(fromJose.plaintext)).toBe('dir secret');
      const joseMade = await new CompactEncrypt(utf8('made by jose'))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .encrypt(base64url.decode(k!));
      expect(new TextDecoder().decode(await kms.jwk.decrypt(id, joseMade))).toBe('made by jose');
      await kms.rotateKeyOnDemand({ keyId: id });
      expect(new TextDecoder().decode(await kms.jwk.decrypt(id, jwe))).toBe('dir secret');
      expect(decodeProtectedHeader(await kms.jwk.encrypt(id, utf8('v2')))).toMatchObject({ kver: 2 });
      const [h, , iv, ct, tag] = jwe.split('.');
      await expectKmsError(kms.jwk.decrypt(id, `${h}..${iv}.${flip(ct!, 2)}.${tag}`), 'INVALID_CIPHERTEXT');
      await expectKmsError(kms.jwk.decrypt(kid('ES256'), jwe), 'INVALID_CIPHERTEXT', InvalidCiphertextError);
    });

    it('getPublicKeys lists the asymmetric keys; destroy schedules deletion with the shortest window', async () => {
      const { kid: id } = await kms.jwk.generateKeyPair('EdDSA');
      const listed = await kms.jwk.getPublicKeys();
      expect(listed.map((j) => j.kid)).toEqual(expect.arrayContaining([id, kid('ES256'), kid('PS512')]));
      expect(listed.every((j) => j.kty !== 'oct' && j.d === undefined)).toBe(true);
      await kms.jwk.destroy(id);
      const { keyMetadata } = await kms.describeKey({ keyId: id });
      expect(keyMetadata.keyState).toBe('PendingDeletion');
      expect(keyMetadata.pendingDeletionWindowInDays).toBe(7);
      expect((await kms.jwk.getPublicKeys()).map((j) => j.kid)).not.toContain(id);
    });

    it('a key with a certificate carries x5c in its JWK and, when asked, in its JWS header; without one includeX5c is refused', async () => {
      const { kid: id } = await kms.jwk.generateKeyPair('ES256');
      await expectKmsError(kms.signJws({ keyId: id, payload: 'aGk', includeX5c: true }), 'VALIDATION_ERROR');
      expect((await kms.jwk.getPublicKey(id)).x5c).toBeUndefined();
      const { certificate } = await kms.createSelfSignedCertificate({ keyId: id, subject: 'CN=jwk', validityDays: 1 });
      const der = new X509Certificate(certificate).raw.toString('base64');
      const jwk = await kms.jwk.getPublicKey(id);
      expect(jwk.x5c).toEqual([der]);
      expect((await kms.getPublicKey({ keyId: id })).jwk.x5c).toEqual([der]);
      expect((await kms.jwk.getPublicKeys()).find((j) => j.kid === id)?.x5c).toEqual([der]);
      const { jws } = await kms.signJws({ keyId: id, payload: 'aGk', includeX5c: true });
      expect(decodeProtectedHeader(jws).x5c).toEqual([der]);
      await expect(compactVerify(jws, await joseKey(jwk, 'ES256'))).resolves.toBeDefined();
      expect((await kms.verifyJws({ jws })).valid).toBe(true);
    });

    it('listJwks filters by tag (keyrings have no filter yet)', async () => {
      const tag = `team-${Math.random().toString(36).slice(2)}`;
      const { kid: tagged } = await kms.jwk.generateKeyPair('ES256');
      await kms.tagResource({ keyId: tagged, tags: [{ tagKey: tag, tagValue: 'blue' }] });
      expect((await kms.listJwks({ tagKey: tag })).keys.map((j) => j.kid)).toEqual([tagged]);
      expect((await kms.listJwks({ tagKey: tag, tagValue: 'blue' })).keys.map((j) => j.kid)).toEqual([tagged]);
      expect((await kms.listJwks({ tagKey: tag, tagValue: 'red' })).keys).toEqual([]);
      await expectKmsError(kms.listJwks({ tagValue: 'blue' }), 'VALIDATION_ERROR', ValidationError);
    });
  });
}

type JsonWebKeyWithKty = Jwk & { x?: string; n?: string };

/** A fresh private JWK from node:crypto. */
function privateJwk(type: 'ec' | 'ed25519' | 'rsa', options: object = {}): JsonWebKeyWithKty {
  const { privateKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string });
  return privateKey.export({ format: 'jwk' }) as JsonWebKeyWithKty;
}
