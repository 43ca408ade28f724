import { describe, expect, it } from 'vitest';
import { parsePublicKey } from '../../../src/core/key-material.js';
import { loadWycheproof, hex, VectorTally, type WycheproofGroup, type WycheproofTest } from './wycheproof.js';
import { pssAlgorithm, rsaSpec, verifyRawAndDigest, WYCHEPROOF_HASH } from './key-conversion.js';

type SigTest = WycheproofTest & { msg: string; sig: string };
type PssGroup = WycheproofGroup<SigTest> & {
  keySize: number;
  sha: string;
  mgfSha: string;
  sLen: number;
  publicKeyDer: string;
};
const DIGEST_LEN: Record<string, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** Custos signs RSASSA_PSS_SHA_* with MGF1 over the same hash and salt = digest length (AWS KMS), nothing else. */
const isCustosProfile = (g: PssGroup) =>
  DIGEST_LEN[g.sha] !== undefined &&
  g.mgfSha === g.sha &&
  g.sLen === DIGEST_LEN[g.sha] &&
  [2048, 3072, 4096].includes(g.keySize);
/** Same hash and a key size Custos has, but a different salt length or MGF1 hash: verify must say no. */
const isOtherParameters = (g: PssGroup) =>
  DIGEST_LEN[g.sha] !== undefined && [2048, 3072, 4096].includes(g.keySize) && !isCustosProfile(g);

function run(file: string) {
  const tally = new VectorTally();
  let otherParamsRejected = 0;
  let notApplicable = 0;
  let validForCustosProfile = 0;
  for (const group of loadWycheproof<SigTest>(file).testGroups as readonly PssGroup[]) {
    if (!isCustosProfile(group) && !isOtherParameters(group)) {
      notApplicable += group.tests.length;
      continue;
    }
    const spec = rsaSpec(group.keySize);
    const spki = parsePublicKey(spec, hex(group.publicKeyDer));
    for (const test of group.tests) {
      const accepted = verifyRawAndDigest(
        spec,
        pssAlgorithm(group.sha),
        spki,
        hex(test.msg),
        hex(test.sig),
        WYCHEPROOF_HASH[group.sha],
      );
      if (isCustosProfile(group)) tally.record(test, accepted);
      else if (test.result !== 'invalid') {
        // Valid under the file's salt length / MGF1 hash, so never under Custos's pinned ones.
        expect(accepted, `tc ${test.tcId} with sLen ${group.sLen} / MGF1 ${group.mgfSha}`).toBe(false);
        otherParamsRejected++;
      } else if (accepted) {
        // Invalid for the file's parameters but built with Custos's (e.g. "s_len changed to 32"): fine to accept.
        validForCustosProfile++;
      }
    }
  }
  console.log(
    tally.report(file),
    `; other salt length or MGF1 hash, rejected: ${otherParamsRejected}; invalid there but made with Custos's parameters, accepted: ${validForCustosProfile}; not applicable: ${notApplicable}`,
  );
  return { tally, otherParamsRejected };
}

describe('RSASSA-PSS Wycheproof vectors through parsePublicKey + verify (RAW and DIGEST)', () => {
  const PROFILE = [
    'rsa_pss_2048_sha256_mgf1_32_test.json',
    'rsa_pss_3072_sha256_mgf1_32_test.json',
    'rsa_pss_4096_sha256_mgf1_32_test.json',
    'rsa_pss_2048_sha384_mgf1_48_test.json',
    'rsa_pss_4096_sha384_mgf1_48_test.json',
    'rsa_pss_4096_sha512_mgf1_64_test.json',
  ];
  it.each(PROFILE)('%s: all valid accepted, all invalid rejected', (file) => {
    const { tally } = run(file);
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(tally.validAccepted).toBeGreaterThan(0);
    expect(tally.invalidRejected).toBeGreaterThan(0);
  });

  const OTHER_SALT = [
    'rsa_pss_2048_sha256_mgf1_0_test.json',
    'rsa_pss_4096_sha512_mgf1_32_test.json',
    'rsa_pss_2048_sha256_mgf1sha1_20_test.json',
  ];
  it.each(OTHER_SALT)(
    '%s: even valid signatures are rejected, because the salt length (or MGF1 hash) is pinned',
    (file) => {
      const { tally, otherParamsRejected } = run(file);
      expect(tally.validAccepted + tally.invalidRejected).toBe(0);
      expect(otherParamsRejected).toBeGreaterThan(0);
    },
  );

  it('rsa_pss_misc_test.json: Custos-profile groups behave as expected; every other parameter set is rejected', () => {
    const { tally, otherParamsRejected } = run('rsa_pss_misc_test.json');
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(tally.validAccepted).toBeGreaterThan(0);
    expect(otherParamsRejected).toBeGreaterThan(0);
  });
});
