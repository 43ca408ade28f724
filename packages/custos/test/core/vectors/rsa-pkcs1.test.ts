import { describe, expect, it } from 'vitest';
import { parsePublicKey } from '../../../src/core/key-material.js';
import { loadWycheproof, hex, VectorTally, type WycheproofGroup, type WycheproofTest } from './wycheproof.js';
import { pkcs1Algorithm, rsaSpec, verifyRawAndDigest, WYCHEPROOF_HASH } from './key-conversion.js';

type SigTest = WycheproofTest & { msg: string; sig: string };
type Pkcs1Group = WycheproofGroup<SigTest> & { keySize: number; sha: string; publicKeyDer: string };

const FILES = [2048, 3072, 4096].flatMap((bits) =>
  [256, 384, 512].map((sha) => `rsa_signature_${bits}_sha${sha}_test.json`),
);

describe('RSASSA-PKCS1-v1_5 Wycheproof vectors through parsePublicKey + verify (RAW and DIGEST)', () => {
  it.each(FILES)('%s: all valid accepted, all invalid rejected', (file) => {
    const tally = new VectorTally();
    for (const group of loadWycheproof<SigTest>(file).testGroups as readonly Pkcs1Group[]) {
      const spec = rsaSpec(group.keySize);
      const spki = parsePublicKey(spec, hex(group.publicKeyDer));
      for (const test of group.tests) {
        tally.record(
          test,
          verifyRawAndDigest(
            spec,
            pkcs1Algorithm(group.sha),
            spki,
            hex(test.msg),
            hex(test.sig),
            WYCHEPROOF_HASH[group.sha],
          ),
        );
      }
    }
    console.log(tally.report(file));
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(tally.validAccepted).toBeGreaterThan(0);
    expect(tally.invalidRejected).toBeGreaterThan(0);
  });
});
