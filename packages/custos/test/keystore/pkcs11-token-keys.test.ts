// Keys inside a Pkcs11Token (SoftHSM2), checked against node:crypto: AES-256-GCM both ways with AAD, ECDSA P-256/P-384,
// RSA-PSS and PKCS#1 v1.5 signatures that node verifies, RSA-OAEP (SHA-1, SHA-256) of node's ciphertexts, HMAC, the
// public key as SPKI, non-extractable attributes, destruction, and an object destroyed behind Custos's back.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPublicKey,
  constants,
  publicEncrypt,
  randomBytes,
  verify,
} from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPkcs11Token, type Pkcs11Token } from '../../src/keystore/pkcs11/token.js';
import {
  countTokenObjects,
  destroyTokenKey,
  generateTokenKey,
  type TokenKey,
} from '../../src/keystore/pkcs11/token-keys.js';
import {
  tokenCanOaep,
  tokenGcmDecrypt,
  tokenGcmEncrypt,
  tokenHmac,
  tokenOaepDecrypt,
  tokenSignDigest,
} from '../../src/keystore/pkcs11/token-crypto.js';
import { describeSoftHsm, makeToken, type TestToken } from '../helpers/softhsm.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  throw new Error('expected a rejection');
}

describeSoftHsm('keys in a Pkcs11Token')('keys in a Pkcs11Token (SoftHSM2)', () => {
  let t: TestToken;
  let token: Pkcs11Token;
  let aes: TokenKey;
  beforeAll(async () => {
    t = makeToken('24680-keys-pin');
    token = await openPkcs11Token({ module: t.module, tokenLabel: t.label, pin: t.pin });
    aes = await generateTokenKey(token, { type: 'aes', bytes: 32 }, 'custos test aes');
  });
  afterAll(() => token.close());

  it('generates an AES-256 key: a token object, sensitive, never extractable, its value unreadable', async () => {
    expect(aes.id).toMatch(/^[0-9a-f]{32}$/);
    expect(aes.publicKey).toBeNull();
    const attrs = await token.withKey(
      aes.id,
      'secret',
      'C_GetAttributeValue',
      () => new Error('missing'),
      ({ lib, p11, session }, key) =>
        Promise.resolve(
          p11
            .C_GetAttributeValue(session, key, [
              { type: lib.CKA_TOKEN },
              { type: lib.CKA_SENSITIVE },
              { type: lib.CKA_EXTRACTABLE },
              { type: lib.CKA_NEVER_EXTRACTABLE },
            ])
            .map((a) => a.value[0]),
        ),
    );
    expect(attrs).toEqual([1, 1, 0, 1]);
    await expect(
      token.withKey(
        aes.id,
        'secret',
        'C_GetAttributeValue',
        () => new Error('missing'),
        ({ lib, p11, session }, key) =>
          Promise.resolve(p11.C_GetAttributeValue(session, key, [{ type: lib.CKA_VALUE }])),
      ),
    ).rejects.toThrow();
  });

  it('AES-256-GCM with AAD: token ciphertexts decrypt in the token; a wrong AAD or tag is INVALID_CIPHERTEXT', async () => {
    const iv = randomBytes(12);
    const aad = Buffer.from('key 1 version 2');
    const plaintext = randomBytes(1000);
    const { ciphertext, tag } = await tokenGcmEncrypt(token, aes.id, iv, plaintext, aad);
    expect(ciphertext).toHaveLength(1000);
    expect(tag).toHaveLength(16);
    expect(Buffer.from(await tokenGcmDecrypt(token, aes.id, iv, ciphertext, tag, aad))).toEqual(plaintext);
    expect(await codeOf(tokenGcmDecrypt(token, aes.id, iv, ciphertext, tag, Buffer.from('other')))).toBe(
      'INVALID_CIPHERTEXT',
    );
    const badTag = Buffer.from(tag);
    badTag[0]! ^= 1;
    expect(await codeOf(tokenGcmDecrypt(token, aes.id, iv, ciphertext, badTag, aad))).toBe('INVALID_CIPHERTEXT');
    expect(await codeOf(tokenGcmDecrypt(token, aes.id, iv.subarray(1), ciphertext, tag, aad))).toBe(
      'INVALID_CIPHERTEXT',
    );
  });

  it('AES-256-GCM agrees with node:crypto: same key, same output (checked through a known-key session key)', async () => {
    // The token key is unreadable, so the cross-check uses a session key imported for the purpose: node's ciphertext
    // decrypts in the token and the token's in node.
    const value = randomBytes(32);
    const handle = await token.run('C_CreateObject', ({ lib, p11, session }) =>
      Promise.resolve(
        p11.C_CreateObject(session, [
          { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
          { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
          { type: lib.CKA_TOKEN, value: false },
          { type: lib.CKA_ENCRYPT, value: true },
          { type: lib.CKA_DECRYPT, value: true },
          { type: lib.CKA_ID, value: Buffer.from('c0ffee', 'hex') },
          { type: lib.CKA_VALUE, value },
        ]),
      ),
    );
    expect(handle).toBeDefined();
    const iv = randomBytes(12);
    const aad = Buffer.from('aad');
    const plaintext = Buffer.from('attack at dawn');
    const cipher = createCipheriv('aes-256-gcm', value, iv).setAAD(aad);
    const nodeCt = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const nodeTag = cipher.getAuthTag();
    expect(Buffer.from(await tokenGcmDecrypt(token, 'c0ffee', iv, nodeCt, nodeTag, aad))).toEqual(plaintext);
    const sealed = await tokenGcmEncrypt(token, 'c0ffee', iv, plaintext, aad);
    const decipher = createDecipheriv('aes-256-gcm', value, iv).setAAD(aad).setAuthTag(Buffer.from(sealed.tag));
    expect(Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()])).toEqual(plaintext);
  });

  it.each([
    ['P-256', 'sha256'],
    ['P-384', 'sha384'],
  ] as const)('ECDSA %s: a raw r‖s signature of a node digest verifies in node', async (curve, hash) => {
    const pair = await generateTokenKey(token, { type: 'ec', curve }, `ec ${curve}`);
    const spki = createPublicKey({ key: Buffer.from(pair.publicKey!), format: 'der', type: 'spki' });
    expect(spki.asymmetricKeyDetails?.namedCurve).toBe(curve === 'P-256' ? 'prime256v1' : 'secp384r1');
    const message = Buffer.from('sign me');
    const sig = await tokenSignDigest(token, pair.id, { scheme: 'ecdsa' }, createHash(hash).update(message).digest());
    expect(sig).toHaveLength(curve === 'P-256' ? 64 : 96);
    expect(verify(hash, message, { key: spki, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
    expect(verify(hash, Buffer.from('other'), { key: spki, dsaEncoding: 'ieee-p1363' }, sig)).toBe(false);
  });

  it('RSA 2048: PSS and PKCS#1 v1.5 signatures verify in node; OAEP SHA-1 decrypts node ciphertexts', async () => {
    const pair = await generateTokenKey(token, { type: 'rsa', bits: 2048 }, 'rsa');
    const spki = createPublicKey({ key: Buffer.from(pair.publicKey!), format: 'der', type: 'spki' });
    expect(spki.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const message = Buffer.from('sign me too');
    for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
      const digest = createHash(hash).update(message).digest();
      const pss = await tokenSignDigest(token, pair.id, { scheme: 'pss', hash }, digest);
      const saltLength = digest.length;
      expect(verify(hash, message, { key: spki, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, pss)).toBe(
        true,
      );
      const pkcs1 = await tokenSignDigest(token, pair.id, { scheme: 'pkcs1', hash }, digest);
      expect(verify(hash, message, spki, pkcs1)).toBe(true);
    }
    const secret = randomBytes(32);
    const oaep = (oaepHash: string) =>
      publicEncrypt({ key: spki, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, secret);
    expect(Buffer.from(await tokenOaepDecrypt(token, pair.id, 'sha1', oaep('sha1')))).toEqual(secret);
    // SoftHSM2 2.6 does OAEP with SHA-1 only: UNSUPPORTED, naming what is missing. A ciphertext for another hash or
    // random bytes do not decrypt: INVALID_CIPHERTEXT.
    expect(await codeOf(tokenOaepDecrypt(token, pair.id, 'sha256', oaep('sha256')))).toBe('UNSUPPORTED');
    expect(await codeOf(tokenOaepDecrypt(token, pair.id, 'sha1', oaep('sha256')))).toBe('INVALID_CIPHERTEXT');
    expect(await codeOf(tokenOaepDecrypt(token, pair.id, 'sha1', randomBytes(256)))).toBe('INVALID_CIPHERTEXT');
    // The probe createKey uses says the same, and leaves the session usable.
    expect(await tokenCanOaep(token, pair.id, 'sha1')).toBe(true);
    expect(await tokenCanOaep(token, pair.id, 'sha256')).toBe(false);
    expect(Buffer.from(await tokenOaepDecrypt(token, pair.id, 'sha1', oaep('sha1')))).toEqual(secret);
    expect(await destroyTokenKey(token, pair.id)).toBe(2);
  });

  it('HMAC in the token equals node HMAC over a key node also knows; a generated HMAC key signs', async () => {
    const generated = await generateTokenKey(token, { type: 'hmac', bytes: 32 }, 'hmac');
    const mac = await tokenHmac(token, generated.id, 'sha256', Buffer.from('m'));
    expect(mac).toHaveLength(32);
    expect(await tokenHmac(token, generated.id, 'sha256', Buffer.from('m'))).toEqual(mac);
    const value = randomBytes(64); // SoftHSM2 wants an HMAC key at least as long as the digest
    await token.run('C_CreateObject', ({ lib, p11, session }) =>
      Promise.resolve(
        p11.C_CreateObject(session, [
          { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
          { type: lib.CKA_KEY_TYPE, value: lib.CKK_GENERIC_SECRET },
          { type: lib.CKA_TOKEN, value: false },
          { type: lib.CKA_SIGN, value: true },
          { type: lib.CKA_ID, value: Buffer.from('beef', 'hex') },
          { type: lib.CKA_VALUE, value },
        ]),
      ),
    );
    for (const hash of ['sha224', 'sha256', 'sha384', 'sha512'] as const)
      expect(Buffer.from(await tokenHmac(token, 'beef', hash, Buffer.from('message')))).toEqual(
        createHmac(hash, value).update('message').digest(),
      );
  });

  it('destroys a key (idempotently), after which using it is a clear INTERNAL error naming the object', async () => {
    const doomed = await generateTokenKey(token, { type: 'aes', bytes: 32 }, 'doomed');
    const iv = randomBytes(12);
    await tokenGcmEncrypt(token, doomed.id, iv, Buffer.from('x'), Buffer.alloc(0)); // caches the handle
    expect(await countTokenObjects(token, doomed.id)).toBe(1);
    expect(await destroyTokenKey(token, doomed.id)).toBe(1);
    expect(await destroyTokenKey(token, doomed.id)).toBe(0);
    expect(await countTokenObjects(token, doomed.id)).toBe(0);
    await expect(tokenGcmEncrypt(token, doomed.id, iv, Buffer.from('x'), Buffer.alloc(0))).rejects.toThrow(
      new RegExp(`key object ${doomed.id} is missing`),
    );
  });

  it('finds a key again when its object was destroyed behind its back and the cached handle is stale', async () => {
    const victim = await generateTokenKey(token, { type: 'aes', bytes: 32 }, 'victim');
    const iv = randomBytes(12);
    await tokenGcmEncrypt(token, victim.id, iv, Buffer.from('x'), Buffer.alloc(0)); // caches the handle
    // Another process (or an operator with pkcs11-tool) deletes it: our cache does not know.
    const other = await openPkcs11Token({ module: t.module, tokenLabel: t.label, pin: t.pin });
    await destroyTokenKey(other, victim.id);
    await other.close();
    const err = await tokenGcmEncrypt(token, victim.id, iv, Buffer.from('x'), Buffer.alloc(0)).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('INTERNAL');
    expect((err as Error).message).toMatch(/missing from the PKCS#11 token/);
    // The token itself is fine: other keys keep working.
    const { ciphertext, tag } = await tokenGcmEncrypt(token, aes.id, iv, Buffer.from('y'), Buffer.alloc(0));
    expect(Buffer.from(await tokenGcmDecrypt(token, aes.id, iv, ciphertext, tag, Buffer.alloc(0)))).toEqual(
      Buffer.from('y'),
    );
  });
});
