// Wycheproof HKDF vectors (SHA-256/384/512; SHA-1 is not a Custos algorithm) against deriveKey.
import type { DerivationAlgorithm } from '@custos/contract';
import { describe, expect, it } from 'vitest';
import { deriveKey } from '../../../src/core/algorithms/kdf.js';
import { exposeSecret, SecretBytes } from '../../../src/core/secret-bytes.js';
import { hex, loadWycheproof, VectorTally, type WycheproofTest } from './wycheproof.js';

interface HkdfTest extends WycheproofTest {
  ikm: string;
  salt: string;
  info: string;
  size: number;
  okm: string;
}

const FILES: readonly { file: string; algorithm: DerivationAlgorithm }[] = [
  { file: 'hkdf_sha256_test.json', algorithm: 'HKDF_SHA_256' },
  { file: 'hkdf_sha384_test.json', algorithm: 'HKDF_SHA_384' },
  { file: 'hkdf_sha512_test.json', algorithm: 'HKDF_SHA_512' },
];

describe.each(FILES)('Wycheproof $file', ({ file, algorithm }) => {
  it('derives every valid output exactly and rejects every invalid size with VALIDATION_ERROR', () => {
    const tally = new VectorTally();
    for (const group of loadWycheproof<HkdfTest>(file).testGroups) {
      for (const t of group.tests) {
        let accepted: boolean;
        try {
          const okm = deriveKey(algorithm, SecretBytes.from(hex(t.ikm)), {
            salt: hex(t.salt),
            info: hex(t.info),
            length: t.size,
          });
          accepted = Buffer.from(exposeSecret(okm)).toString('hex') === t.okm;
        } catch (err) {
          expect((err as { code?: string }).code, `tcId ${t.tcId}`).toBe('VALIDATION_ERROR');
          accepted = false;
        }
        tally.record(t, accepted);
      }
    }
    console.log(tally.report(file));
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(tally.validAccepted).toBeGreaterThan(0);
    expect(tally.invalidRejected).toBeGreaterThan(0);
  });
});
