// Public-key-only keys on the AWS protocol, spoken by the AWS SDK to a real server: a key imported through the native
// API (ImportPublicKey, over RemoteKms) answers DescribeKey, GetPublicKey, Verify and Encrypt as any asymmetric key,
// and Sign/Decrypt with UnsupportedOperationException. DeriveSharedSecret's Custos-only StoreAs is not an AWS field.
import { constants, createPublicKey, generateKeyPairSync, privateDecrypt, sign as nodeSign } from 'node:crypto';
import {
  DecryptCommand,
  DeriveSharedSecretCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetPublicKeyCommand,
  KMSClient,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { expectAws, signedFetch, startAwsServer, type AwsTestServer } from './helpers.js';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const message = new TextEncoder().encode('from a partner');

describe('public-key-only keys on the AWS protocol', () => {
  let server: AwsTestServer;
  let aws: KMSClient;
  let ecKey: string;
  let rsaKey: string;

  beforeAll(async () => {
    server = await startAwsServer();
    aws = server.client(await server.accessKey(['key-user']));
    const publicKey = new Uint8Array(ec.publicKey.export({ type: 'spki', format: 'der' }));
    ecKey = (await server.admin.importPublicKey({ publicKey, keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    const pem = new TextEncoder().encode(String(rsa.publicKey.export({ type: 'spki', format: 'pem' })));
    rsaKey = (await server.admin.importPublicKey({ publicKey: pem, keyUsage: 'ENCRYPT_DECRYPT' })).keyMetadata.keyId;
  });
  afterAll(async () => server.close());

  it('DescribeKey and GetPublicKey answer as for any asymmetric key (origin EXTERNAL, no Custos-only field)', async () => {
    const { KeyMetadata } = await aws.send(new DescribeKeyCommand({ KeyId: ecKey }));
    expect(KeyMetadata).toMatchObject({ KeySpec: 'ECC_NIST_P384', Origin: 'EXTERNAL', KeyState: 'Enabled' });
    expect(KeyMetadata).not.toHaveProperty('PublicKeyOnly');
    const got = await aws.send(new GetPublicKeyCommand({ KeyId: ecKey }));
    const key = createPublicKey({ key: Buffer.from(got.PublicKey ?? []), format: 'der', type: 'spki' });
    expect(key.export({ format: 'jwk' })).toEqual(ec.publicKey.export({ format: 'jwk' }));
    expect(got.SigningAlgorithms).toEqual(['ECDSA_SHA_384']);
    // The native API says what the key is.
    expect((await server.admin.describeKey({ keyId: ecKey })).keyMetadata.publicKeyOnly).toBe(true);
  });

  it('Verify checks a signature made outside; Sign is UnsupportedOperationException', async () => {
    const signature = nodeSign('sha384', message, ec.privateKey);
    const ok = await aws.send(
      new VerifyCommand({ KeyId: ecKey, Message: message, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_384' }),
    );
    expect(ok.SignatureValid).toBe(true);
    await expectAws(
      aws.send(new SignCommand({ KeyId: ecKey, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' })),
      'UnsupportedOperationException',
    );
  });

  it('Encrypt with RSAES_OAEP_SHA_256 reaches the private key holder; Decrypt is UnsupportedOperationException', async () => {
    const { CiphertextBlob } = await aws.send(
      new EncryptCommand({ KeyId: rsaKey, Plaintext: message, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
    );
    const plain = privateDecrypt(
      { key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      CiphertextBlob ?? new Uint8Array(),
    );
    expect(new TextDecoder().decode(plain)).toBe('from a partner');
    await expectAws(
      aws.send(
        new DecryptCommand({
          KeyId: rsaKey,
          CiphertextBlob: CiphertextBlob ?? new Uint8Array(),
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
      ),
      'UnsupportedOperationException',
    );
    await expectKmsError(
      server.admin.decrypt({
        keyId: rsaKey,
        ciphertextBlob: CiphertextBlob ?? new Uint8Array(),
        encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      }),
      'PUBLIC_KEY_ONLY',
    );
  });

  it('DeriveSharedSecret works as AWS defines it, and StoreAs is not an AWS field', async () => {
    const { keyMetadata } = await server.admin.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' });
    const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    const r = await aws.send(
      new DeriveSharedSecretCommand({ KeyId: keyMetadata.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer }),
    );
    expect(r.SharedSecret?.length).toBe(32);
    const credentials = await server.accessKey(['key-user']);
    const response = await signedFetch(server.url, credentials, 'TrentService.DeriveSharedSecret', {
      KeyId: keyMetadata.keyId,
      KeyAgreementAlgorithm: 'ECDH',
      PublicKey: Buffer.from(peer).toString('base64'),
      StoreAs: { KeySpec: 'AES_256' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toContain('ValidationException');
  });
});
