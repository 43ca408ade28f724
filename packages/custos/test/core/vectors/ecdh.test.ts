import { describe, expect, it } from 'vitest';
import { ecdh } from '../../../src/core/algorithms/ecdh.js';
import { parsePublicKey } from '../../../src/core/key-material.js';
import { keySpec } from '../../../src/core/key-specs.js';
import { exposeSecret, type SecretBytes } from '../../../src/core/secret-bytes.js';
import { loadWycheproof, hex, VectorTally, type WycheproofTest } from './wycheproof.js';
import { ecPkcs8FromScalar, outcome } from './key-conversion.js';

type EcdhTest = WycheproofTest & { public: string; private: string; shared: string };

/**
 * Policy for Wycheproof's 'acceptable' ECDH cases: Custos refuses every public key that is not the canonical
 * DER SPKI of a named curve with an uncompressed point (CRYPTO-PITFALLS 4), so these must all be rejected.
 */
const REFUSED_BY_POLICY = ['InvalidAsn', 'UnnamedCurve', 'CompressedPoint'];
/**
 * Custos never returns an all-zero secret (CRYPTO-PITFALLS 8), so the valid vector whose shared point has
 * x = 0 is refused: an honest peer reaches it with probability ~2^-256, and refusing costs nothing.
 */
const isZeroSecret = (test: EcdhTest) => /^0+$/.test(test.shared);

describe('ECDH Wycheproof vectors (SPKI DER public keys) through parsePublicKey + ecdh', () => {
  it.each([
    ['ecdh_secp256r1_test.json', 'ECC_NIST_P256'],
    ['ecdh_secp384r1_test.json', 'ECC_NIST_P384'],
    ['ecdh_secp521r1_test.json', 'ECC_NIST_P521'],
  ])('%s (%s): valid agree, invalid and non-canonical keys fail with INVALID_PUBLIC_KEY', (file, specName) => {
    const spec = keySpec(specName);
    const tally = new VectorTally();
    const acceptableRejected: Record<string, number> = {};
    let zeroSecretRefused = 0;
    // A file has a few dozen private keys for about a thousand tests: each converted once (ecdh does not wipe it).
    const privateKeys = new Map<string, SecretBytes>();
    for (const group of loadWycheproof<EcdhTest>(file).testGroups) {
      for (const test of group.tests) {
        let privateKey = privateKeys.get(test.private);
        if (privateKey === undefined) {
          privateKey = ecPkcs8FromScalar(spec, test.private);
          privateKeys.set(test.private, privateKey);
        }
        let shared: Uint8Array | undefined;
        const result = outcome(() => {
          shared = new Uint8Array(exposeSecret(ecdh(spec, privateKey, parsePublicKey(spec, hex(test.public)))));
        });
        if (result !== 'accepted') expect(result, `tc ${test.tcId}`).toBe('INVALID_PUBLIC_KEY');
        const agreed = result === 'accepted' && Buffer.from(shared ?? []).equals(hex(test.shared));
        if (result === 'accepted')
          expect(agreed, `tc ${test.tcId}: a secret was returned, so it must be the right one`).toBe(true);
        if (test.result === 'acceptable') {
          const reason = REFUSED_BY_POLICY.find((flag) => test.flags.includes(flag));
          expect(reason, `tc ${test.tcId} [${test.flags.join(',')}] is not covered by the policy`).toBeDefined();
          expect(result, `tc ${test.tcId} [${test.flags.join(',')}]`).toBe('INVALID_PUBLIC_KEY');
          acceptableRejected[reason ?? ''] = (acceptableRejected[reason ?? ''] ?? 0) + 1;
        }
        if (isZeroSecret(test)) {
          expect(result, `tc ${test.tcId}: all-zero secret`).toBe('INVALID_PUBLIC_KEY');
          zeroSecretRefused++;
        } else tally.record(test, agreed);
      }
    }
    console.log(
      tally.report(file),
      `; acceptable rejected by policy: ${JSON.stringify(acceptableRejected)}; valid but all-zero secret, refused: ${zeroSecretRefused}`,
    );
    expect(zeroSecretRefused).toBe(1);
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(tally.validAccepted).toBeGreaterThan(0);
    expect(tally.invalidRejected).toBeGreaterThan(0);
  });
});
