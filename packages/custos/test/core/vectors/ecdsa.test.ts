import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { parsePublicKey } from '../../../src/core/key-material.js';
import { keySpec } from '../../../src/core/key-specs.js';
import { loadWycheproof, hex, VectorTally, type WycheproofGroup, type WycheproofTest } from './wycheproof.js';
import { ecdsaAlgorithm, verifyRawAndDigest, WYCHEPROOF_HASH } from './key-conversion.js';

/** s > n/2 (secp256k1's order): the signatures Bitcoin's low-S rule forbids. */
const isHighS = (sigHex: string) => secp256k1.Signature.fromBytes(hex(sigHex), 'der').hasHighS();

type SigTest = WycheproofTest & { msg: string; sig: string };
type EcdsaGroup = WycheproofGroup<SigTest> & { sha: string; publicKeyDer: string };

function run(file: string, specName: string) {
  const spec = keySpec(specName);
  const tally = new VectorTally();
  const highSAccepted: number[] = [];
  for (const group of loadWycheproof<SigTest>(file).testGroups as readonly EcdsaGroup[]) {
    const spki = parsePublicKey(spec, hex(group.publicKeyDer));
    for (const test of group.tests) {
      const accepted = verifyRawAndDigest(
        spec,
        ecdsaAlgorithm(group.sha),
        spki,
        hex(test.msg),
        hex(test.sig),
        WYCHEPROOF_HASH[group.sha],
      );
      // Bitcoin's rule (BIP-62/146) makes high-S signatures invalid; Custos verifies them, as AWS KMS and OpenSSL do.
      if (test.result === 'invalid' && accepted && isHighS(test.sig)) highSAccepted.push(test.tcId);
      else tally.record(test, accepted);
    }
  }
  console.log(tally.report(file), `; high-S accepted by policy: ${highSAccepted.length}`);
  return { tally, highSAccepted };
}

describe('ECDSA (DER) Wycheproof vectors through parsePublicKey + verify (RAW and DIGEST)', () => {
  it.each([
    ['ecdsa_secp256r1_sha256_test.json', 'ECC_NIST_P256'],
    ['ecdsa_secp384r1_sha384_test.json', 'ECC_NIST_P384'],
    ['ecdsa_secp521r1_sha512_test.json', 'ECC_NIST_P521'],
    ['ecdsa_secp256k1_sha256_test.json', 'ECC_SECG_P256K1'],
  ])('%s (%s): all valid accepted, all invalid rejected', (file, spec) => {
    const { tally, highSAccepted } = run(file, spec);
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(tally.validAccepted).toBeGreaterThan(0);
    expect(tally.invalidRejected).toBeGreaterThan(0);
    expect(highSAccepted).toEqual([]);
  });

  it('ecdsa_secp256k1_sha256_bitcoin_test.json: verify accepts high-S signatures (policy), everything else as expected', () => {
    const { tally, highSAccepted } = run('ecdsa_secp256k1_sha256_bitcoin_test.json', 'ECC_SECG_P256K1');
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(highSAccepted.length).toBeGreaterThan(0);
  });
});
