// ML-KEM under a use limit: Encapsulate and Decapsulate count their use after making the shared secret, so past the
// key's maxUses they answer USAGE_LIMIT_EXCEEDED (the secret wiped, never returned).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { openTestKms, type TestKms } from './helpers.js';

describe('ML-KEM keys with maxUses', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t?.cleanup());

  it('Encapsulate and Decapsulate each count a use; past the limit both are refused', async () => {
    const { keyMetadata } = await t.kms.createKey({
      keySpec: 'ML_KEM_768',
      keyUsage: 'ENCAPSULATE_DECAPSULATE',
      usageConstraints: { maxUses: 2 },
    });
    const keyId = keyMetadata.keyId;
    const encapsulated = await t.kms.encapsulate({ keyId, encapsulationAlgorithm: 'ML_KEM' });
    const decapsulated = await t.kms.decapsulate({
      keyId,
      sharedSecretCiphertextBlob: encapsulated.sharedSecretCiphertextBlob,
      encapsulationAlgorithm: 'ML_KEM',
    });
    expect(decapsulated.sharedSecret).toEqual(encapsulated.sharedSecret);
    await expectKmsError(t.kms.encapsulate({ keyId, encapsulationAlgorithm: 'ML_KEM' }), 'USAGE_LIMIT_EXCEEDED');
    await expectKmsError(
      t.kms.decapsulate({
        keyId,
        sharedSecretCiphertextBlob: encapsulated.sharedSecretCiphertextBlob,
        encapsulationAlgorithm: 'ML_KEM',
      }),
      'USAGE_LIMIT_EXCEEDED',
    );
  });
});
