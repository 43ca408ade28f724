// Wycheproof HMAC vectors (SHA-224/256/384/512) against hmacGenerate and hmacVerify (CRYPTO-PITFALLS 9).
import type { MacAlgorithm } from '@custos/contract';
import { describe, expect, it } from 'vitest';
import { hmacGenerate, hmacVerify } from '../../../src/core/algorithms/hmac.js';
import { SecretBytes } from '../../../src/core/secret-bytes.js';
import { hex, loadWycheproof, VectorTally, type WycheproofTest } from './wycheproof.js';

interface MacTest extends WycheproofTest {
  key: string;
  msg: string;
  tag: string;
}

const FILES: readonly { file: string; algorithm: MacAlgorithm; digestBytes: number }[] = [
  { file: 'hmac_sha224_test.json', algorithm: 'HMAC_SHA_224', digestBytes: 28 },
  { file: 'hmac_sha256_test.json', algorithm: 'HMAC_SHA_256', digestBytes: 32 },
  { file: 'hmac_sha384_test.json', algorithm: 'HMAC_SHA_384', digestBytes: 48 },
  { file: 'hmac_sha512_test.json', algorithm: 'HMAC_SHA_512', digestBytes: 64 },
];

describe.each(FILES)('Wycheproof $file', ({ file, algorithm, digestBytes }) => {
  it('verifies every valid full-length MAC, rejects every invalid one, and rejects truncated MACs by policy', () => {
    const tally = new VectorTally();
    let truncatedValidRejected = 0;
    let truncatedInvalidRejected = 0;
    for (const group of loadWycheproof<MacTest>(file).testGroups) {
      for (const t of group.tests) {
        const key = SecretBytes.from(hex(t.key));
        const msg = hex(t.msg);
        const tag = hex(t.tag);
        const verified = hmacVerify(algorithm, key, msg, tag);
        if (tag.length !== digestBytes) {
          // Custos verifies full-length MACs only (as AWS KMS VerifyMac): a truncated tag is refused by policy.
          expect(verified, `tcId ${t.tcId}`).toBe(false);
          if (t.result === 'valid') {
            // ...even though it is a correct prefix: proof that the refusal is policy, not a wrong MAC.
            expect(Buffer.from(hmacGenerate(algorithm, key, msg).subarray(0, tag.length)).toString('hex')).toBe(t.tag);
            truncatedValidRejected++;
          } else truncatedInvalidRejected++;
          continue;
        }
        if (t.result === 'valid')
          expect(Buffer.from(hmacGenerate(algorithm, key, msg)).toString('hex'), `tcId ${t.tcId}`).toBe(t.tag);
        tally.record(t, verified);
      }
    }
    console.log(
      `${tally.report(file)}; truncated tags rejected by policy: ${truncatedValidRejected} valid, ${truncatedInvalidRejected} invalid`,
    );
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(tally.validAccepted).toBeGreaterThan(0);
    expect(tally.invalidRejected).toBeGreaterThan(0);
    expect(truncatedValidRejected).toBeGreaterThan(0);
  });
});
