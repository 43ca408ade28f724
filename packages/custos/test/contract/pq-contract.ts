// The post-quantum part of the Kms contract, run on LocalKms and on RemoteKms (a real server): ML-DSA keys sign
// RAW and EXTERNAL_MU messages, ML-KEM keys encapsulate and decapsulate, public keys are SPKI DER and AKP JWKs,
// and each bad input fails with its stable code.
import { createHash } from 'node:crypto';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kms } from '@custos/contract';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import type { KmsUnderTest } from './kms-contract.js';

/** SHAKE256 with a 64-byte output (node:crypto). */
const shake256 = (data: Uint8Array, _options: { dkLen: 64 }) =>
  new Uint8Array(createHash('shake256', { outputLength: 64 }).update(data).digest());

const DSA = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;
const KEM = { ML_KEM_512: ml_kem512, ML_KEM_768: ml_kem768, ML_KEM_1024: ml_kem1024 } as const;
const CIPHERTEXT_BYTES = { ML_KEM_512: 768, ML_KEM_768: 1088, ML_KEM_1024: 1568 } as const;
const message = new TextEncoder().encode('a message for a post-quantum signature');

/** The raw public key inside SPKI DER (the last `bytes` bytes; the prefix is fixed per parameter set). */
const rawOf = (spki: Uint8Array, bytes: number) => spki.subarray(spki.length - bytes);

/** μ = SHAKE256(SHAKE256(pk, 64) ‖ 0 ‖ 0 ‖ M, 64): FIPS 204 Algorithm 7 line 6 with an empty context. */
const muOf = (publicKey: Uint8Array, msg: Uint8Array) =>
  shake256(Uint8Array.from([...shake256(publicKey, { dkLen: 64 }), 0, 0, ...msg]), { dkLen: 64 });

export function describePqContract(name: string, make: () => Promise<KmsUnderTest>): void {
  describe(`post-quantum contract: ${name}`, () => {
    let under: KmsUnderTest;
    let kms: Kms;
    const keys = {} as Record<keyof typeof DSA | keyof typeof KEM, string>;
    beforeAll(async () => {
      under = await make();
      kms = under.kms;
      for (const spec of Object.keys(DSA) as (keyof typeof DSA)[])
        keys[spec] = (await kms.createKey({ keySpec: spec, keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
      for (const spec of Object.keys(KEM) as (keyof typeof KEM)[])
        keys[spec] = (await kms.createKey({ keySpec: spec, keyUsage: 'ENCAPSULATE_DECAPSULATE' })).keyMetadata.keyId;
    });
    afterAll(async () => under?.cleanup());

    it.each(Object.keys(DSA) as (keyof typeof DSA)[])(
      '%s: RAW and EXTERNAL_MU signatures verify in Custos and in noble; metadata and JWK say ML-DSA',
      async (spec) => {
        const keyId = keys[spec];
        const { keyMetadata } = await kms.describeKey({ keyId });
        expect(keyMetadata).toMatchObject({
          keySpec: spec,
          keyUsage: 'SIGN_VERIFY',
          signingAlgorithms: ['ML_DSA_SHAKE_256'],
        });
        const { publicKey, jwk, signingAlgorithms } = await kms.getPublicKey({ keyId });
        expect(signingAlgorithms).toEqual(['ML_DSA_SHAKE_256']);
        const raw = rawOf(publicKey, DSA[spec].lengths.publicKey ?? 0);
        expect(jwk).toMatchObject({
          kty: 'AKP',
          alg: spec.replace(/_/g, '-'),
          pub: Buffer.from(raw).toString('base64url'),
        });
        const signed = await kms.sign({ keyId, message, signingAlgorithm: 'ML_DSA_SHAKE_256' });
        expect(DSA[spec].verify(signed.signature, message, raw)).toBe(true);
        await expect(
          kms.verify({ keyId, message, signature: signed.signature, signingAlgorithm: 'ML_DSA_SHAKE_256' }),
        ).resolves.toMatchObject({ signatureValid: true });
        // EXTERNAL_MU: the caller hashes; the signature is an ordinary ML-DSA signature over the message.
        const mu = muOf(raw, message);
        const overMu = await kms.sign({
          keyId,
          message: mu,
          messageType: 'EXTERNAL_MU',
          signingAlgorithm: 'ML_DSA_SHAKE_256',
        });
        expect(DSA[spec].verify(overMu.signature, message, raw)).toBe(true);
        await kms.verify({ keyId, message, signature: overMu.signature, signingAlgorithm: 'ML_DSA_SHAKE_256' });
        await kms.verify({
          keyId,
          message: mu,
          messageType: 'EXTERNAL_MU',
          signature: signed.signature,
          signingAlgorithm: 'ML_DSA_SHAKE_256',
        });
        const tampered = Uint8Array.from(signed.signature);
        tampered[0] = (tampered[0] ?? 0) ^ 1;
        await expectKmsError(
          kms.verify({ keyId, message, signature: tampered, signingAlgorithm: 'ML_DSA_SHAKE_256' }),
          'INVALID_SIGNATURE',
        );
      },
    );

    it.each(Object.keys(KEM) as (keyof typeof KEM)[])(
      '%s: Encapsulate gives a secret Decapsulate recovers, and noble encapsulates to its public key',
      async (spec) => {
        const keyId = keys[spec];
        const { keyMetadata } = await kms.describeKey({ keyId });
        expect(keyMetadata).toMatchObject({
          keySpec: spec,
          keyUsage: 'ENCAPSULATE_DECAPSULATE',
          encapsulationAlgorithms: ['ML_KEM'],
        });
        const { publicKey, jwk, encapsulationAlgorithms } = await kms.getPublicKey({ keyId });
        expect(encapsulationAlgorithms).toEqual(['ML_KEM']);
        expect(jwk).toMatchObject({ kty: 'AKP', alg: spec.replace(/_/g, '-') });
        const encapsulated = await kms.encapsulate({ keyId, encapsulationAlgorithm: 'ML_KEM' });
        expect(encapsulated.sharedSecret).toHaveLength(32);
        expect(encapsulated.sharedSecretCiphertextBlob).toHaveLength(CIPHERTEXT_BYTES[spec]);
        const decapsulated = await kms.decapsulate({
          keyId,
          sharedSecretCiphertextBlob: encapsulated.sharedSecretCiphertextBlob,
          encapsulationAlgorithm: 'ML_KEM',
        });
        expect(decapsulated.sharedSecret).toEqual(encapsulated.sharedSecret);
        const outside = KEM[spec].encapsulate(rawOf(publicKey, KEM[spec].lengths.publicKey ?? 0));
        const recovered = await kms.decapsulate({
          keyId,
          sharedSecretCiphertextBlob: outside.cipherText,
          encapsulationAlgorithm: 'ML_KEM',
        });
        expect(recovered.sharedSecret).toEqual(outside.sharedSecret);
      },
    );

    describe('bad input', () => {
      it('an ML-KEM key cannot sign or encrypt (INVALID_KEY_USAGE)', async () => {
        const keyId = keys.ML_KEM_768;
        await expectKmsError(kms.sign({ keyId, message, signingAlgorithm: 'ML_DSA_SHAKE_256' }), 'INVALID_KEY_USAGE');
        await expectKmsError(kms.encrypt({ keyId, plaintext: message }), 'INVALID_KEY_USAGE');
      });

      it('an ML-DSA key cannot encapsulate, nor sign with another algorithm (INVALID_KEY_USAGE)', async () => {
        await expectKmsError(
          kms.encapsulate({ keyId: keys.ML_DSA_44, encapsulationAlgorithm: 'ML_KEM' }),
          'INVALID_KEY_USAGE',
        );
        await expectKmsError(
          kms.sign({ keyId: keys.ML_DSA_44, message, signingAlgorithm: 'ECDSA_SHA_256' }),
          'INVALID_KEY_USAGE',
        );
      });

      it('DIGEST is refused for ML-DSA; EXTERNAL_MU must be 64 bytes and is for ML-DSA only (VALIDATION_ERROR)', async () => {
        const keyId = keys.ML_DSA_65;
        const digest = createHash('sha256').update(message).digest();
        await expectKmsError(
          kms.sign({ keyId, message: digest, messageType: 'DIGEST', signingAlgorithm: 'ML_DSA_SHAKE_256' }),
          'VALIDATION_ERROR',
        );
        await expectKmsError(
          kms.sign({
            keyId,
            message: new Uint8Array(63),
            messageType: 'EXTERNAL_MU',
            signingAlgorithm: 'ML_DSA_SHAKE_256',
          }),
          'VALIDATION_ERROR',
        );
        const p256 = (await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
        await expectKmsError(
          kms.sign({
            keyId: p256,
            message: new Uint8Array(64),
            messageType: 'EXTERNAL_MU',
            signingAlgorithm: 'ECDSA_SHA_256',
          }),
          'VALIDATION_ERROR',
        );
      });

      it('a RAW message over 4096 bytes is refused (VALIDATION_ERROR); 4096 bytes sign', async () => {
        const keyId = keys.ML_DSA_44;
        await expectKmsError(
          kms.sign({ keyId, message: new Uint8Array(4097), signingAlgorithm: 'ML_DSA_SHAKE_256' }),
          'VALIDATION_ERROR',
        );
        await kms.sign({ keyId, message: new Uint8Array(4096), signingAlgorithm: 'ML_DSA_SHAKE_256' });
      });

      it('Decapsulate refuses a ciphertext of the wrong length (INVALID_CIPHERTEXT)', async () => {
        for (const length of [767, 769, 1088]) {
          await expectKmsError(
            kms.decapsulate({
              keyId: keys.ML_KEM_512,
              sharedSecretCiphertextBlob: new Uint8Array(length),
              encapsulationAlgorithm: 'ML_KEM',
            }),
            'INVALID_CIPHERTEXT',
          );
        }
      });

      it('an ML-KEM key cannot have another usage, nor an ML-DSA key ENCAPSULATE_DECAPSULATE (VALIDATION_ERROR)', async () => {
        await expectKmsError(kms.createKey({ keySpec: 'ML_KEM_512', keyUsage: 'ENCRYPT_DECRYPT' }), 'VALIDATION_ERROR');
        await expectKmsError(
          kms.createKey({ keySpec: 'ML_DSA_44', keyUsage: 'ENCAPSULATE_DECAPSULATE' }),
          'VALIDATION_ERROR',
        );
      });

      it('an HSM-protected post-quantum key is refused with PQ_HSM_UNSUPPORTED', async () => {
        await expectKmsError(
          kms.createKey({ keySpec: 'ML_DSA_65', keyUsage: 'SIGN_VERIFY', protectionLevel: 'HSM' }),
          'PQ_HSM_UNSUPPORTED',
        );
      });
    });
  });
}
