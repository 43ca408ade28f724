import { describe, expect, it } from 'vitest';
import { InvalidCiphertextError } from '@custos/contract';
import { rsaOaepDecrypt } from '../../../src/core/algorithms/rsa.js';
import { loadWycheproof, hex, VectorTally, type WycheproofTest } from './wycheproof.js';
import { pkcs8, WYCHEPROOF_HASH } from './key-conversion.js';

type OaepTest = WycheproofTest & { msg: string; ct: string; label: string };
const ALGORITHM = { sha1: 'RSAES_OAEP_SHA_1', sha256: 'RSAES_OAEP_SHA_256' } as const;
const SUPPORTED_BITS = new Set([2048, 3072, 4096]);

/** Decrypts through Custos; the plaintext, or undefined when it threw InvalidCiphertextError. */
function decrypt(algorithm: keyof typeof ALGORITHM, privateKeyPkcs8: unknown, ct: string): Uint8Array | undefined {
  try {
    return rsaOaepDecrypt(ALGORITHM[algorithm], pkcs8(privateKeyPkcs8), hex(ct));
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCiphertextError);
    return undefined;
  }
}

interface Tallies {
  supported: VectorTally;
  /** Valid vectors with a non-empty OAEP label: Custos (like AWS KMS) always uses the empty label. */
  labelled: number;
  /** Vectors whose MGF1 hash differs from the OAEP hash: Custos pins both to one hash. */
  mixedHash: number;
}

function runGroup(
  group: { keySize: unknown; sha: unknown; mgfSha: unknown; privateKeyPkcs8: unknown; tests: readonly OaepTest[] },
  t: Tallies,
): boolean {
  const sha = WYCHEPROOF_HASH[String(group.sha)];
  if (!SUPPORTED_BITS.has(Number(group.keySize)) || (sha !== 'sha1' && sha !== 'sha256')) return false;
  for (const test of group.tests) {
    const plaintext = decrypt(sha, group.privateKeyPkcs8, test.ct);
    const matches = plaintext !== undefined && Buffer.from(plaintext).equals(hex(test.msg));
    if (group.mgfSha !== group.sha) {
      // Same OAEP hash, different MGF1 hash: must never come out as the sender's message.
      expect(matches, `tc ${test.tcId}`).toBe(false);
      t.mixedHash++;
    } else if (test.label !== '') {
      expect(plaintext, `tc ${test.tcId}`).toBeUndefined();
      t.labelled++;
    } else {
      t.supported.record(test, matches);
    }
  }
  return true;
}

const newTallies = (): Tallies => ({ supported: new VectorTally(), labelled: 0, mixedHash: 0 });

describe('RSA-OAEP Wycheproof vectors through rsaOaepDecrypt', () => {
  const SAME_HASH = [
    'rsa_oaep_2048_sha1_mgf1sha1_test.json',
    'rsa_oaep_2048_sha256_mgf1sha256_test.json',
    'rsa_oaep_3072_sha256_mgf1sha256_test.json',
    'rsa_oaep_4096_sha256_mgf1sha256_test.json',
  ];
  it.each(SAME_HASH)(
    '%s: every valid vector decrypts to msg and every invalid one fails with INVALID_CIPHERTEXT',
    (file) => {
      const t = newTallies();
      for (const group of loadWycheproof<OaepTest>(file).testGroups) expect(runGroup(group as never, t)).toBe(true);
      console.log(t.supported.report(file), `; labelled (rejected by policy): ${t.labelled}`);
      expect(t.supported.validRejected).toEqual([]);
      expect(t.supported.invalidAccepted).toEqual([]);
      expect(t.supported.validAccepted).toBeGreaterThan(0);
      expect(t.supported.invalidRejected).toBeGreaterThan(0);
    },
  );

  const MIXED_HASH = [
    'rsa_oaep_2048_sha256_mgf1sha1_test.json',
    'rsa_oaep_3072_sha256_mgf1sha1_test.json',
    'rsa_oaep_4096_sha256_mgf1sha1_test.json',
  ];
  it.each(MIXED_HASH)(
    '%s: no vector with MGF1-SHA-1 under OAEP-SHA-256 decrypts to its msg (hash pinned for OAEP and MGF1)',
    (file) => {
      const t = newTallies();
      for (const group of loadWycheproof<OaepTest>(file).testGroups) expect(runGroup(group as never, t)).toBe(true);
      console.log(`${file}: ${t.mixedHash} mixed-hash vectors rejected or decrypted to something else`);
      expect(t.mixedHash).toBeGreaterThan(0);
    },
  );

  it('rsa_oaep_misc_test.json: the groups Custos supports behave as Wycheproof expects; mixed-hash groups never yield msg', () => {
    const t = newTallies();
    let skippedGroups = 0;
    for (const group of loadWycheproof<OaepTest>('rsa_oaep_misc_test.json').testGroups)
      if (!runGroup(group as never, t)) skippedGroups++;
    console.log(
      t.supported.report('rsa_oaep_misc_test.json'),
      `; labelled: ${t.labelled}; mixed hash: ${t.mixedHash}; groups with unsupported size or hash: ${skippedGroups}`,
    );
    expect(t.supported.validRejected).toEqual([]);
    expect(t.supported.invalidAccepted).toEqual([]);
    expect(t.supported.validAccepted).toBeGreaterThan(0);
    expect(t.mixedHash).toBeGreaterThan(0);
  });
});
