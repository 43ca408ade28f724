// Wycheproof AES-GCM vectors against aesGcmDecrypt (CRYPTO-PITFALLS 1, 2).
import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesGcmDecrypt } from '../../../src/core/algorithms/aes-gcm.js';
import { SecretBytes } from '../../../src/core/secret-bytes.js';
import { hex, loadWycheproof, VectorTally, type WycheproofTest } from './wycheproof.js';

interface AeadTest extends WycheproofTest {
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
}

const FILE = 'aes_gcm_test.json';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? 'NO_CODE';
  }
}

describe(`Wycheproof ${FILE}`, () => {
  it('decrypts every valid 12-byte-IV vector, rejects every invalid one, and rejects other IV/tag sizes by policy', () => {
    const file = loadWycheproof<AeadTest>(FILE);
    const tally = new VectorTally();
    let rejectedByPolicy = 0;
    for (const group of file.testGroups) {
      for (const t of group.tests) {
        const key = SecretBytes.from(hex(t.key));
        const sealed = { iv: hex(t.iv), ciphertext: hex(t.ct), tag: hex(t.tag) };
        if (sealed.iv.length !== 12 || sealed.tag.length !== 16) {
          // Custos takes 96-bit IVs and 128-bit tags only: valid vectors for other sizes must still be refused.
          expect(
            codeOf(() => aesGcmDecrypt(key, sealed, hex(t.aad))),
            `tcId ${t.tcId}`,
          ).toBe('INVALID_CIPHERTEXT');
          rejectedByPolicy++;
          continue;
        }
        let accepted: boolean;
        try {
          const pt = aesGcmDecrypt(key, sealed, hex(t.aad));
          accepted = Buffer.from(pt).equals(Buffer.from(hex(t.msg)));
        } catch (err) {
          expect((err as { code?: string }).code, `tcId ${t.tcId}`).toBe('INVALID_CIPHERTEXT');
          accepted = false;
        }
        tally.record(t, accepted);
      }
    }
    console.log(`${tally.report(FILE)}, rejected by policy (IV != 12 or tag != 16 bytes): ${rejectedByPolicy}`);
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(tally.validAccepted).toBeGreaterThan(0);
    expect(tally.invalidRejected).toBeGreaterThan(0);
    expect(rejectedByPolicy).toBeGreaterThan(0);
  });

  it('rejects a 4-byte tag that node:crypto alone would accept (pitfall 1)', () => {
    const t = loadWycheproof<AeadTest>(FILE)
      .testGroups.flatMap((g) => g.tests)
      .find((v) => v.result === 'valid' && v.iv.length === 24)!;
    const key = hex(t.key);
    const shortTag = hex(t.tag).subarray(0, 4); // GCM's truncated tag is a prefix of the full tag
    // Control: without authTagLength, OpenSSL verifies the 4-byte tag, so this test exercises the pitfall.
    const bare = createDecipheriv(`aes-${key.length * 8}-gcm` as 'aes-128-gcm', key, hex(t.iv));
    bare.setAAD(hex(t.aad));
    bare.setAuthTag(shortTag);
    bare.update(hex(t.ct));
    expect(() => bare.final()).not.toThrow();

    const sealed = { iv: hex(t.iv), ciphertext: hex(t.ct), tag: shortTag };
    expect(codeOf(() => aesGcmDecrypt(SecretBytes.from(key), sealed, hex(t.aad)))).toBe('INVALID_CIPHERTEXT');
  });
});
