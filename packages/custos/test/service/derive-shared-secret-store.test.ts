// DeriveSharedSecret with storeAs: the ECDH secret goes through HKDF-SHA256 into a new key and is never returned;
// the peer, computing ECDH and HKDF itself with node:crypto, gets the same key (equal MACs, a decryptable blob).
import { createHmac, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { openTestKms, utf8, type TestKms } from './helpers.js';

describe('DeriveSharedSecret storeAs', () => {
  let t: TestKms;
  let keyId: string;
  let custosPublic: ReturnType<typeof createPublicKey>;
  const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const peerDer = new Uint8Array(peer.publicKey.export({ type: 'spki', format: 'der' }));

  beforeAll(async () => {
    t = await openTestKms();
    keyId = (await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' })).keyMetadata.keyId;
    const { publicKey } = await t.kms.getPublicKey({ keyId });
    custosPublic = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
  });
  afterAll(async () => t.cleanup());

  /** What the peer derives on its side: HKDF-SHA256(salt, ECDH(peer, Custos), info), `length` bytes. */
  const peerDerives = (salt: Uint8Array, info: Uint8Array, length: number) =>
    Buffer.from(
      hkdfSync('sha256', diffieHellman({ privateKey: peer.privateKey, publicKey: custosPublic }), salt, info, length),
    );

  it('stores an HMAC key equal to the peer’s derivation, and returns no shared secret', async () => {
    const salt = utf8('session salt');
    const info = utf8('custos test: mac key');
    const r = await t.kms.deriveSharedSecret({
      keyId,
      keyAgreementAlgorithm: 'ECDH',
      publicKey: peerDer,
      storeAs: { keySpec: 'HMAC_256', salt, info, description: 'agreed MAC key' },
    });
    expect(r.sharedSecret).toBeUndefined();
    expect(r.keyMetadata).toMatchObject({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', keyState: 'Enabled' });
    const macKey = r.keyMetadata?.keyId ?? '';
    const message = utf8('authenticated by both sides');
    const { mac } = await t.kms.generateMac({ keyId: macKey, message, macAlgorithm: 'HMAC_SHA_256' });
    const expected = createHmac('sha256', peerDerives(salt, info, 32))
      .update(message)
      .digest();
    expect(Buffer.from(mac).equals(expected)).toBe(true);
  });

  it('stores an AES key (empty salt and info by default) that encrypts and decrypts', async () => {
    const r = await t.kms.deriveSharedSecret({
      keyId,
      keyAgreementAlgorithm: 'ECDH',
      publicKey: peerDer,
      storeAs: { keySpec: 'AES_256' },
    });
    expect(r.sharedSecret).toBeUndefined();
    const aesKey = r.keyMetadata?.keyId ?? '';
    const { ciphertextBlob } = await t.kms.encrypt({ keyId: aesKey, plaintext: utf8('agreed') });
    const { plaintext } = await t.kms.decrypt({ ciphertextBlob });
    expect(new TextDecoder().decode(plaintext)).toBe('agreed');
    // Without storeAs the raw secret is returned, as AWS returns it; HKDF of it with empty salt and info is the AES key.
    const raw = await t.kms.deriveSharedSecret({ keyId, keyAgreementAlgorithm: 'ECDH', publicKey: peerDer });
    expect(raw.keyMetadata).toBeUndefined();
    expect(Buffer.from(raw.sharedSecret ?? []).length).toBe(32);
  });

  it('refuses an asymmetric spec, a usage the spec lacks, and a bad peer key before storing anything', async () => {
    const before = (await t.kms.listKeys({})).keys.length;
    await expectKmsError(
      t.kms.deriveSharedSecret({
        keyId,
        keyAgreementAlgorithm: 'ECDH',
        publicKey: peerDer,
        storeAs: { keySpec: 'RSA_2048' as 'AES_256' },
      }),
      'VALIDATION_ERROR',
    );
    await expectKmsError(
      t.kms.deriveSharedSecret({
        keyId,
        keyAgreementAlgorithm: 'ECDH',
        publicKey: peerDer,
        storeAs: { keySpec: 'HMAC_256', keyUsage: 'ENCRYPT_DECRYPT' },
      }),
      'VALIDATION_ERROR',
    );
    await expectKmsError(
      t.kms.deriveSharedSecret({
        keyId,
        keyAgreementAlgorithm: 'ECDH',
        publicKey: new Uint8Array([1, 2, 3]),
        storeAs: { keySpec: 'AES_256' },
      }),
      'INVALID_PUBLIC_KEY',
    );
    expect((await t.kms.listKeys({})).keys.length).toBe(before);
  });
});
