import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestKms, utf8, text, type TestKms } from './helpers.js';

describe('LocalKms smoke', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());

  it('creates a key, encrypts and decrypts with a context', async () => {
    const { keyMetadata } = await t.kms.createKey({ description: 'smoke' });
    expect(keyMetadata.keyState).toBe('Enabled');
    const enc = await t.kms.encrypt({
      keyId: keyMetadata.keyId,
      plaintext: utf8('hello'),
      encryptionContext: { a: 'b' },
    });
    const dec = await t.kms.decrypt({ ciphertextBlob: enc.ciphertextBlob, encryptionContext: { a: 'b' } });
    expect(text(dec.plaintext)).toBe('hello');
  });
});
