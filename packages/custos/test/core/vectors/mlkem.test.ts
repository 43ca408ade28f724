// ML-KEM Wycheproof vectors (mlkem_{512,768,1024}_{test,keygen_seed,encaps}_test.json) through Custos's key material,
// public-key parsing and decapsulation, and through each post-quantum implementation this Node has.
import { describe, expect, it } from 'vitest';
import { KmsError } from '@custos/contract';
import { mlKemDecapsulate } from '../../../src/core/algorithms/ml-kem.js';
import { parsePublicKey, publicKeyOf } from '../../../src/core/key-material.js';
import { keySpec } from '../../../src/core/key-specs.js';
import { decodeSpki, encodeSpki } from '../../../src/core/pq/der.js';
import { PQ_IMPLEMENTATIONS } from '../../../src/core/pq/implementation.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { SecretBytes } from '../../../src/core/secret-bytes.js';
import { hex, loadWycheproof, VectorTally, type WycheproofTest } from './wycheproof.js';

type KemTest = WycheproofTest & { seed?: string; ek: string; c?: string; K?: string; m?: string; dk?: string };
const NOBLE = { 512: ml_kem512, 768: ml_kem768, 1024: ml_kem1024 } as const;
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof KmsError ? error.code : 'not a KmsError';
  }
};
const ok = (tally: VectorTally) => {
  expect(tally.validRejected).toEqual([]);
  expect(tally.invalidAccepted).toEqual([]);
  expect(tally.validAccepted).toBeGreaterThan(0);
};

describe.each([512, 768, 1024] as const)('ML_KEM_%i Wycheproof', (level) => {
  const spec = keySpec(`ML_KEM_${String(level)}`);
  if (spec.family.material !== 'seed') throw new Error('not post-quantum');
  const parameters = spec.family.pq;
  const tests = (file: string) => loadWycheproof<KemTest>(file).testGroups.flatMap((group) => group.tests);

  it(`mlkem_${String(level)}_test.json: seed → public key, and decapsulation (INVALID_CIPHERTEXT for a wrong length)`, () => {
    const file = `mlkem_${String(level)}_test.json`;
    const tally = new VectorTally();
    for (const test of tests(file)) {
      const seed = hex(test.seed);
      // Custos stores the 64-byte seed d‖z; any other length is not key material.
      if (seed.length !== parameters.seedBytes) {
        tally.record(test, false);
        continue;
      }
      const material = SecretBytes.from(seed);
      let accepted = same(decodeSpki(parameters, publicKeyOf(spec, material)), hex(test.ek));
      const decapsulated = codeOf(() => mlKemDecapsulate(spec, material, hex(test.c)));
      if (decapsulated === 'INVALID_CIPHERTEXT') accepted = false;
      else {
        accepted &&= same(mlKemDecapsulate(spec, material, hex(test.c)), hex(test.K));
        for (const impl of PQ_IMPLEMENTATIONS)
          accepted &&= same(impl.decapsulate(impl.prepare(parameters, seed), hex(test.c)), hex(test.K));
      }
      tally.record(test, accepted);
    }
    console.log(tally.report(`${file} (${PQ_IMPLEMENTATIONS.map((impl) => impl.name).join(' + ')})`));
    ok(tally);
    expect(tally.invalidRejected).toBeGreaterThan(0);
  });

  it(`mlkem_${String(level)}_keygen_seed_test.json: every implementation derives the vector's public key`, () => {
    const file = `mlkem_${String(level)}_keygen_seed_test.json`;
    const tally = new VectorTally();
    for (const test of tests(file)) {
      const seed = hex(test.seed);
      tally.record(
        test,
        PQ_IMPLEMENTATIONS.every((impl) => same(impl.publicKey(parameters, seed), hex(test.ek))) &&
          same(NOBLE[level].keygen(seed).secretKey, hex(test.dk)),
      );
    }
    console.log(tally.report(`${file} (${PQ_IMPLEMENTATIONS.map((impl) => impl.name).join(' + ')})`));
    ok(tally);
  });

  it(`mlkem_${String(level)}_encaps_test.json: parsePublicKey refuses bad keys (INVALID_PUBLIC_KEY); noble's encapsulation with m is the vector's`, () => {
    const file = `mlkem_${String(level)}_encaps_test.json`;
    const tally = new VectorTally();
    for (const test of tests(file)) {
      const ek = hex(test.ek);
      const spki = encodeSpki({ ...parameters, publicKeyBytes: ek.length }, ek);
      const code = codeOf(() => parsePublicKey(spec, spki));
      if (code !== undefined) {
        expect(code).toBe('INVALID_PUBLIC_KEY');
        tally.record(test, false);
        continue;
      }
      // Every implementation encapsulates to a valid key; noble's deterministic form reproduces c and K.
      const fixed = NOBLE[level].encapsulate(ek, hex(test.m));
      let accepted = same(fixed.cipherText, hex(test.c)) && same(fixed.sharedSecret, hex(test.K));
      for (const impl of PQ_IMPLEMENTATIONS)
        accepted &&= impl.encapsulate(parameters, ek).ciphertext.length === parameters.outputBytes;
      tally.record(test, accepted);
    }
    console.log(tally.report(`${file} (${PQ_IMPLEMENTATIONS.map((impl) => impl.name).join(' + ')})`));
    ok(tally);
    expect(tally.invalidRejected).toBeGreaterThan(0);
  });
});
