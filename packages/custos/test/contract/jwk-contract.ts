// The jwk facade and the JOSE operations, one suite for LocalKms and RemoteKms (as kms-contract.ts): every JWS,
// JWT and JOSE signature Custos makes is verified by jose with the key's JWK as served, and jose's own JWEs are
// opened by Custos (and Custos's by jose, with an exported key). Bad input: unknown alg, an alg the key cannot do,
// a public or malformed JWK, a non-exportable key, tampered JWS parts, a header that overrides alg or kid.
import { base64url, compactVerify, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import {
  NotFoundError,
  UnsupportedError,
  ValidationError,
  type Jwk,
  type JwkKeyPairAlg,
  type Kms,
} from '@custos/contract';
import { registerJwkKeyCases } from './jwk-key-cases.js';
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

    registerJwkKeyCases(() => kms, kid);
  });
}
