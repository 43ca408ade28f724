// ML-DSA and ML-KEM over the AWS KMS JSON protocol, spoken by the real AWS SDK (@aws-sdk/client-kms): CreateKey with
// the ML_* specs, GetPublicKey, Sign/Verify with ML_DSA_SHAKE_256 (RAW and EXTERNAL_MU), Encapsulate/Decapsulate, and
// the exceptions bad input raises.
import { createHash } from 'node:crypto';
import {
  CreateKeyCommand,
  DecapsulateCommand,
  EncapsulateCommand,
  GetPublicKeyCommand,
  KMSClient,
  SignCommand,
  VerifyCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAws, startAwsServer, type AwsTestServer } from './helpers.js';

/** SHAKE256 with a 64-byte output (node:crypto). */
const shake256 = (data: Uint8Array, _options: { dkLen: 64 }) =>
  new Uint8Array(createHash('shake256', { outputLength: 64 }).update(data).digest());

let server: AwsTestServer;
let kms: KMSClient;
let dsa: KeyMetadata;
let kem: KeyMetadata;
const message = new TextEncoder().encode('signed over the AWS protocol');

beforeAll(async () => {
  server = await startAwsServer();
  kms = server.client(await server.accessKey(['admin'], 'aws-pq'));
  dsa = (await kms.send(new CreateKeyCommand({ KeySpec: 'ML_DSA_65', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
  kem = (await kms.send(new CreateKeyCommand({ KeySpec: 'ML_KEM_768', KeyUsage: 'ENCAPSULATE_DECAPSULATE' })))
    .KeyMetadata!;
});

afterAll(async () => {
  kms?.destroy();
  await server?.close();
});

describe('ML-DSA through the AWS SDK', () => {
  it('CreateKey and GetPublicKey answer the AWS shapes; Sign RAW and EXTERNAL_MU verify (Custos and noble)', async () => {
    expect(dsa).toMatchObject({
      KeySpec: 'ML_DSA_65',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ML_DSA_SHAKE_256'],
    });
    const publicKey = await kms.send(new GetPublicKeyCommand({ KeyId: dsa.KeyId }));
    expect(publicKey).toMatchObject({ KeySpec: 'ML_DSA_65', SigningAlgorithms: ['ML_DSA_SHAKE_256'] });
    const raw = publicKey.PublicKey!.subarray(publicKey.PublicKey!.length - 1952);
    const signed = await kms.send(
      new SignCommand({ KeyId: dsa.KeyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ML_DSA_SHAKE_256' }),
    );
    expect(signed.Signature).toHaveLength(3309);
    expect(ml_dsa65.verify(signed.Signature!, message, raw)).toBe(true);
    const mu = shake256(Uint8Array.from([...shake256(raw, { dkLen: 64 }), 0, 0, ...message]), { dkLen: 64 });
    const overMu = await kms.send(
      new SignCommand({
        KeyId: dsa.KeyId,
        Message: mu,
        MessageType: 'EXTERNAL_MU',
        SigningAlgorithm: 'ML_DSA_SHAKE_256',
      }),
    );
    expect(ml_dsa65.verify(overMu.Signature!, message, raw)).toBe(true);
    const verified = await kms.send(
      new VerifyCommand({
        KeyId: dsa.KeyId,
        Message: message,
        Signature: overMu.Signature,
        SigningAlgorithm: 'ML_DSA_SHAKE_256',
      }),
    );
    expect(verified.SignatureValid).toBe(true);
  });

  it('DIGEST is a ValidationException; a wrong signature a KMSInvalidSignatureException', async () => {
    await expectAws(
      kms.send(
        new SignCommand({
          KeyId: dsa.KeyId,
          Message: new Uint8Array(32),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ML_DSA_SHAKE_256',
        }),
      ),
      'ValidationException',
    );
    await expectAws(
      kms.send(
        new VerifyCommand({
          KeyId: dsa.KeyId,
          Message: message,
          Signature: new Uint8Array(3309),
          SigningAlgorithm: 'ML_DSA_SHAKE_256',
        }),
      ),
      'KMSInvalidSignatureException',
    );
  });
});

describe('ML-KEM through the AWS SDK', () => {
  it('Encapsulate and Decapsulate agree; noble encapsulates to the GetPublicKey key', async () => {
    expect(kem).toMatchObject({
      KeySpec: 'ML_KEM_768',
      KeyUsage: 'ENCAPSULATE_DECAPSULATE',
      EncapsulationAlgorithms: ['ML_KEM'],
    });
    const encapsulated = await kms.send(new EncapsulateCommand({ KeyId: kem.KeyId, EncapsulationAlgorithm: 'ML_KEM' }));
    expect(encapsulated.SharedSecret).toHaveLength(32);
    expect(encapsulated.SharedSecretCiphertextBlob).toHaveLength(1088);
    expect(encapsulated.EncapsulationAlgorithm).toBe('ML_KEM');
    const decapsulated = await kms.send(
      new DecapsulateCommand({
        KeyId: kem.KeyId,
        SharedSecretCiphertextBlob: encapsulated.SharedSecretCiphertextBlob,
        EncapsulationAlgorithm: 'ML_KEM',
      }),
    );
    expect(decapsulated.SharedSecret).toEqual(encapsulated.SharedSecret);
    expect(decapsulated.KeyId).toBe(kem.Arn);
    const publicKey = await kms.send(new GetPublicKeyCommand({ KeyId: kem.KeyId }));
    expect(publicKey.EncapsulationAlgorithms).toEqual(['ML_KEM']);
    const outside = ml_kem768.encapsulate(publicKey.PublicKey!.subarray(publicKey.PublicKey!.length - 1184));
    const recovered = await kms.send(
      new DecapsulateCommand({
        KeyId: kem.KeyId,
        SharedSecretCiphertextBlob: outside.cipherText,
        EncapsulationAlgorithm: 'ML_KEM',
      }),
    );
    expect(recovered.SharedSecret).toEqual(outside.sharedSecret);
  });

  it('a ciphertext of the wrong length is an InvalidCiphertextException; signing with a KEM key an InvalidKeyUsageException', async () => {
    await expectAws(
      kms.send(
        new DecapsulateCommand({
          KeyId: kem.KeyId,
          SharedSecretCiphertextBlob: new Uint8Array(1087),
          EncapsulationAlgorithm: 'ML_KEM',
        }),
      ),
      'InvalidCiphertextException',
    );
    await expectAws(
      kms.send(new SignCommand({ KeyId: kem.KeyId, Message: message, SigningAlgorithm: 'ML_DSA_SHAKE_256' })),
      'InvalidKeyUsageException',
    );
    await expectAws(
      kms.send(new EncapsulateCommand({ KeyId: dsa.KeyId, EncapsulationAlgorithm: 'ML_KEM' })),
      'InvalidKeyUsageException',
    );
  });
});
