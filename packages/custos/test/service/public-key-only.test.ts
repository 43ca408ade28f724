// Public-key-only keys (ImportPublicKey) through LocalKms: described as such, they verify, encrypt (RSA-OAEP), give
// their public key and JWK, and verify JWS; every use of a private key is refused with PUBLIC_KEY_ONLY; management
// that touches no material works; the row's flag is MAC'd (flipping it in the database is caught).
import { constants, generateKeyPairSync, privateDecrypt, sign as nodeSign } from 'node:crypto';
import { join } from 'node:path';
import { CompactSign, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmsError } from '@custos/contract';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { openTestKms, utf8, type TestKms } from './helpers.js';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const der = (key: typeof ec.publicKey) => new Uint8Array(key.export({ type: 'spki', format: 'der' }));
const message = utf8('signed outside Custos');

describe('public-key-only keys', () => {
  let t: TestKms;
  let ecKey: string;
  let rsaKey: string;

  beforeAll(async () => {
    t = await openTestKms();
    const pem = utf8(String(ec.publicKey.export({ type: 'spki', format: 'pem' })));
    ecKey = (await t.kms.importPublicKey({ publicKey: pem, keyUsage: 'SIGN_VERIFY', description: 'partner' }))
      .keyMetadata.keyId;
    const jwk = utf8(JSON.stringify(rsa.publicKey.export({ format: 'jwk' })));
    rsaKey = (await t.kms.importPublicKey({ publicKey: jwk, keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'RSA_2048' }))
      .keyMetadata.keyId;
  });
  afterAll(async () => t.cleanup());

  it('is described as publicKeyOnly, origin EXTERNAL, Enabled, with the spec the key has', async () => {
    const { keyMetadata } = await t.kms.describeKey({ keyId: ecKey });
    expect(keyMetadata).toMatchObject({
      publicKeyOnly: true,
      origin: 'EXTERNAL',
      keyState: 'Enabled',
      keySpec: 'ECC_NIST_P256',
      keyUsage: 'SIGN_VERIFY',
      description: 'partner',
      exportable: false,
    });
    const generated = await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    expect(generated.keyMetadata.publicKeyOnly).toBeUndefined();
  });

  it('gives back the very public key, as SPKI DER and JWK', async () => {
    const got = await t.kms.getPublicKey({ keyId: ecKey });
    expect(Buffer.from(got.publicKey).equals(der(ec.publicKey))).toBe(true);
    const { jwk } = await t.kms.getJwk({ keyId: ecKey });
    expect(jwk).toMatchObject(ec.publicKey.export({ format: 'jwk' }));
  });

  it('verifies a signature made outside Custos, and refuses a wrong one with INVALID_SIGNATURE', async () => {
    const signature = nodeSign('sha256', message, ec.privateKey);
    const ok = await t.kms.verify({ keyId: ecKey, message, signature, signingAlgorithm: 'ECDSA_SHA_256' });
    expect(ok.signatureValid).toBe(true);
    await expectKmsError(
      t.kms.verify({ keyId: ecKey, message: utf8('other'), signature, signingAlgorithm: 'ECDSA_SHA_256' }),
      'INVALID_SIGNATURE',
    );
  });

  it('verifies a JWS whose kid names it', async () => {
    const jws = await new CompactSign(message)
      .setProtectedHeader({ alg: 'ES256', kid: ecKey })
      .sign(await importJWK(ec.privateKey.export({ format: 'jwk' }) as JWK, 'ES256'));
    expect((await t.kms.verifyJws({ jws })).valid).toBe(true);
  });

  it('encrypts with RSA-OAEP for the holder of the private key', async () => {
    const { ciphertextBlob } = await t.kms.encrypt({
      keyId: rsaKey,
      plaintext: utf8('for the partner'),
      encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
    });
    const plain = privateDecrypt(
      { key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      ciphertextBlob,
    );
    expect(plain.toString()).toBe('for the partner');
  });

  it('refuses every use of a private key with PUBLIC_KEY_ONLY', async () => {
    const refused: Promise<unknown>[] = [
      t.kms.sign({ keyId: ecKey, message, signingAlgorithm: 'ECDSA_SHA_256' }),
      t.kms.signJws({ keyId: ecKey, payload: 'aGk' }),
      t.kms.decrypt({ keyId: rsaKey, ciphertextBlob: new Uint8Array(256), encryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      t.kms.exportKey({ keyId: ecKey, format: 'PEM' }),
      t.kms.rotateKeyOnDemand({ keyId: ecKey }),
      t.kms.enableKeyRotation({ keyId: rsaKey }),
      t.kms.createCsr({ keyId: ecKey, subject: 'CN=x' }),
      t.kms.attestKey({ keyId: ecKey, challenge: new Uint8Array(16) }),
      t.kms.deleteImportedKeyMaterial({ keyId: ecKey }),
    ];
    for (const call of refused) await expectKmsError(call, 'PUBLIC_KEY_ONLY');
  });

  it('refuses KEY_AGREEMENT, a usage the spec lacks, and a spec the key does not have', async () => {
    const x = der(generateKeyPairSync('x25519').publicKey);
    await expectKmsError(t.kms.importPublicKey({ publicKey: x, keyUsage: 'KEY_AGREEMENT' }), 'INVALID_KEY_USAGE');
    const p = der(ec.publicKey);
    await expectKmsError(t.kms.importPublicKey({ publicKey: p, keyUsage: 'KEY_AGREEMENT' }), 'INVALID_KEY_USAGE');
    await expectKmsError(t.kms.importPublicKey({ publicKey: p, keyUsage: 'ENCRYPT_DECRYPT' }), 'INVALID_KEY_USAGE');
    await expectKmsError(
      t.kms.importPublicKey({ publicKey: p, keyUsage: 'SIGN_VERIFY', keySpec: 'ECC_NIST_P384' }),
      'INVALID_PUBLIC_KEY',
    );
    const privateJwk = utf8(JSON.stringify(ec.privateKey.export({ format: 'jwk' })));
    await expectKmsError(
      t.kms.importPublicKey({ publicKey: privateJwk, keyUsage: 'SIGN_VERIFY' }),
      'PUBLIC_KEY_PRIVATE_JWK',
    );
  });

  it('is disabled, enabled, scheduled for deletion and back to Disabled (not PendingImport) like any key', async () => {
    const { keyMetadata } = await t.kms.importPublicKey({ publicKey: der(ec.publicKey), keyUsage: 'SIGN_VERIFY' });
    const keyId = keyMetadata.keyId;
    await t.kms.disableKey({ keyId });
    await t.kms.enableKey({ keyId });
    await t.kms.tagResource({ keyId, tags: [{ tagKey: 'partner', tagValue: 'acme' }] });
    await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7 });
    await t.kms.cancelKeyDeletion({ keyId });
    expect((await t.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Disabled');
  });

  it('keeps its flag under the row MAC: setting public_key_only to 0 in the database is caught', async () => {
    const { keyMetadata } = await t.kms.importPublicKey({ publicKey: der(ec.publicKey), keyUsage: 'SIGN_VERIFY' });
    const keyId = keyMetadata.keyId;
    const kms = await t.reopen();
    expect((await kms.describeKey({ keyId })).keyMetadata.publicKeyOnly).toBe(true);
    await kms.close();
    const db = new (sqliteDriver())(join(t.dir, 'custos.db'));
    db.prepare('update keys set public_key_only = 0 where id = ?').run(keyId);
    db.close();
    const reopened = await t.reopen();
    const error = await reopened.describeKey({ keyId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsError);
    expect((error as KmsError).code).toBe('INTERNAL');
  });
});
