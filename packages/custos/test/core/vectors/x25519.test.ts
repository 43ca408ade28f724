import { describe, expect, it } from 'vitest';
import { ecdh } from '../../../src/core/algorithms/ecdh.js';
import { parsePublicKey } from '../../../src/core/key-material.js';
import { keySpec } from '../../../src/core/key-specs.js';
import { exposeSecret } from '../../../src/core/secret-bytes.js';
import { loadWycheproof, hex, VectorTally, type WycheproofTest } from './wycheproof.js';
import { outcome, x25519Pkcs8, x25519Spki } from './key-conversion.js';

type XdhTest = WycheproofTest & { public: string; private: string; shared: string };

describe('X25519 Wycheproof vectors through parsePublicKey + ecdh', () => {
  it('x25519_test.json: valid vectors agree; low-order peers fail with INVALID_PUBLIC_KEY; other acceptable ones agree or are refused', () => {
    const spec = keySpec('X25519');
    const tally = new VectorTally();
    const acceptable = { agreed: 0, lowOrderRejected: 0, otherRejected: [] as number[] };
    for (const group of loadWycheproof<XdhTest>('x25519_test.json').testGroups) {
      for (const test of group.tests) {
        let shared: Uint8Array | undefined;
        const result = outcome(() => {
          shared = new Uint8Array(
            exposeSecret(
              ecdh(spec, x25519Pkcs8(hex(test.private)), parsePublicKey(spec, x25519Spki(hex(test.public)))),
            ),
          );
        });
        const agreed = result === 'accepted' && Buffer.from(shared ?? []).equals(hex(test.shared));
        if (result !== 'accepted') expect(result, `tc ${test.tcId}`).toBe('INVALID_PUBLIC_KEY');
        else expect(agreed, `tc ${test.tcId}: a secret was returned, so it must be the right one`).toBe(true);
        if (test.result === 'acceptable') {
          if (test.flags.includes('ZeroSharedSecret')) {
            expect(result, `tc ${test.tcId}: a low-order peer must be refused`).toBe('INVALID_PUBLIC_KEY');
            acceptable.lowOrderRejected++;
          } else if (agreed) acceptable.agreed++;
          else acceptable.otherRejected.push(test.tcId);
        }
        tally.record(test, agreed);
      }
    }
    console.log(
      tally.report('x25519_test.json'),
      `; acceptable: ${acceptable.agreed} agreed, ${acceptable.lowOrderRejected} low-order rejected, other rejected [${acceptable.otherRejected.join(',')}]`,
    );
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(tally.validAccepted).toBeGreaterThan(0);
    expect(acceptable.lowOrderRejected).toBeGreaterThan(0);
    expect(acceptable.otherRejected).toEqual([]);
  });
});
