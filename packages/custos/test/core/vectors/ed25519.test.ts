import { describe, expect, it } from 'vitest';
import { verify } from '../../../src/core/algorithms/signature.js';
import { parsePublicKey } from '../../../src/core/key-material.js';
import { keySpec } from '../../../src/core/key-specs.js';
import { loadWycheproof, hex, VectorTally, type WycheproofGroup, type WycheproofTest } from './wycheproof.js';

type SigTest = WycheproofTest & { msg: string; sig: string };
type EddsaGroup = WycheproofGroup<SigTest> & { publicKeyDer: string };

describe('Ed25519 Wycheproof vectors through parsePublicKey + verify', () => {
  it('ed25519_test.json: all valid accepted, all invalid rejected', () => {
    const spec = keySpec('ECC_NIST_EDWARDS25519');
    const tally = new VectorTally();
    for (const group of loadWycheproof<SigTest>('ed25519_test.json').testGroups as readonly EddsaGroup[]) {
      const spki = parsePublicKey(spec, hex(group.publicKeyDer));
      for (const test of group.tests)
        tally.record(test, verify(spec, 'ED25519_SHA_512', spki, hex(test.msg), 'RAW', hex(test.sig)));
    }
    console.log(tally.report('ed25519_test.json'));
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(tally.validAccepted).toBeGreaterThan(0);
    expect(tally.invalidRejected).toBeGreaterThan(0);
  });
});
