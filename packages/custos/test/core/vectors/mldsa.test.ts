// ML-DSA Wycheproof vectors (mldsa_{44,65,87}_{verify,sign_seed}_test.json) through Custos's key import, sign and
// verify, and through each post-quantum implementation this Node has (noble everywhere; node:crypto on Node ≥ 24.7).
import { describe, expect, it } from 'vitest';
import { sign, verify } from '../../../src/core/algorithms/signature.js';
import { validateImportedMaterial } from '../../../src/core/key-material.js';
import { keySpec, type KeySpecEntry } from '../../../src/core/key-specs.js';
import { decodeSpki, encodeSeedPkcs8 } from '../../../src/core/pq/der.js';
import { PQ_IMPLEMENTATIONS } from '../../../src/core/pq/implementation.js';
import { nobleHandle, noblePq, nobleSignMu, nobleVerifyMu } from '../../../src/core/pq/noble.js';
import type { PqParameters } from '../../../src/core/pq/parameters.js';
import { SecretBytes } from '../../../src/core/secret-bytes.js';
import { hex, loadWycheproof, VectorTally, type WycheproofGroup, type WycheproofTest } from './wycheproof.js';

type VerifyTest = WycheproofTest & { msg: string; sig: string; ctx?: string };
type SignTest = WycheproofTest & { msg?: string; mu?: string; sig: string; ctx?: string };

const parametersOf = (spec: KeySpecEntry): PqParameters => {
  if (spec.family.material !== 'seed') throw new Error(`${spec.name} is not post-quantum`);
  return spec.family.pq;
};
const accepts = (run: () => boolean): boolean => {
  try {
    return run();
  } catch {
    return false;
  }
};
const ok = (tally: VectorTally) => {
  expect(tally.validRejected).toEqual([]);
  expect(tally.invalidAccepted).toEqual([]);
  expect(tally.validAccepted).toBeGreaterThan(0);
};

describe.each(['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'])('%s Wycheproof', (name) => {
  const spec = keySpec(name);
  const parameters = parametersOf(spec);
  const level = name.slice(-2);

  it.each(PQ_IMPLEMENTATIONS.map((impl) => [impl.name, impl] as const))(
    `mldsa_${level}_verify_test.json through %s (and Custos's verify with an empty context)`,
    (implName, impl) => {
      const file = `mldsa_${level}_verify_test.json`;
      const tally = new VectorTally();
      for (const group of loadWycheproof<VerifyTest>(file).testGroups as readonly (WycheproofGroup<VerifyTest> & {
        publicKeyDer: string;
      })[]) {
        const spki = hex(group.publicKeyDer);
        for (const test of group.tests) {
          const context = test.ctx === undefined ? undefined : hex(test.ctx);
          const accepted = accepts(() =>
            impl.verify(parameters, decodeSpki(parameters, spki), hex(test.msg), hex(test.sig), context),
          );
          // Custos's verify (the service's path) must agree wherever there is no context.
          if (context === undefined || context.length === 0)
            expect(accepts(() => verify(spec, 'ML_DSA_SHAKE_256', spki, hex(test.msg), 'RAW', hex(test.sig)))).toBe(
              accepted,
            );
          tally.record(test, accepted);
        }
      }
      console.log(tally.report(`${file} (${implName})`));
      ok(tally);
      expect(tally.invalidRejected).toBeGreaterThan(0);
    },
  );

  it(`mldsa_${level}_sign_seed_test.json: import, public key, deterministic signatures (noble), μ, and hedged signatures that verify on every implementation`, () => {
    const file = `mldsa_${level}_sign_seed_test.json`;
    const tally = new VectorTally();
    let hedgedChecked = false;
    let muChecked = false;
    for (const group of loadWycheproof<SignTest>(file).testGroups as readonly (WycheproofGroup<SignTest> & {
      privateSeed: string;
      publicKey: string;
    })[]) {
      const seed = hex(group.privateSeed);
      let imported: { material: SecretBytes; publicKey?: Uint8Array } | undefined;
      try {
        const pkcs8 = seed.length === parameters.seedBytes ? encodeSeedPkcs8(parameters, seed) : seed;
        imported = validateImportedMaterial(spec, SecretBytes.from(pkcs8));
      } catch {
        imported = undefined;
      }
      const handle = imported ? nobleHandle(parameters, seed) : undefined;
      for (const test of group.tests) {
        if (imported?.publicKey === undefined || handle === undefined) {
          tally.record(test, false);
          continue;
        }
        const publicKey = imported.publicKey;
        const rawPublicKey = decodeSpki(parameters, publicKey);
        const sig = hex(test.sig);
        const context = test.ctx === undefined ? undefined : hex(test.ctx);
        let accepted = Buffer.from(rawPublicKey).equals(Buffer.from(hex(group.publicKey)));
        if (test.mu !== undefined) {
          // External μ (AWS EXTERNAL_MU): noble signs it deterministically to the vector; Custos's path verifies.
          const mu = hex(test.mu);
          accepted &&=
            test.flags.includes('Randomized') || Buffer.from(nobleSignMu(handle, mu, true)).equals(Buffer.from(sig));
          accepted &&= nobleVerifyMu(parameters, rawPublicKey, mu, sig);
          accepted &&= verify(spec, 'ML_DSA_SHAKE_256', publicKey, mu, 'EXTERNAL_MU', sig);
          if (!muChecked) {
            muChecked = true;
            const hedged = sign(spec, 'ML_DSA_SHAKE_256', imported.material, mu, 'EXTERNAL_MU');
            accepted &&= verify(spec, 'ML_DSA_SHAKE_256', publicKey, mu, 'EXTERNAL_MU', hedged);
          }
        }
        if (test.msg !== undefined) {
          // Also when the vector gives μ: the message itself signs to the same signature.
          const msg = hex(test.msg);
          // The KAT: noble's deterministic signature is the vector's (a Randomized vector was signed hedged); the
          // vector's signature verifies on every implementation and through Custos's verify (no context there).
          accepted &&= accepts(
            () =>
              test.flags.includes('Randomized') ||
              Buffer.from(noblePq.sign(handle, msg, { deterministic: true, ...(context ? { context } : {}) })).equals(
                Buffer.from(sig),
              ),
          );
          // Custos's verify is the first implementation's; the others are asked directly.
          const [, ...others] = PQ_IMPLEMENTATIONS;
          accepted &&=
            context === undefined
              ? verify(spec, 'ML_DSA_SHAKE_256', publicKey, msg, 'RAW', sig)
              : PQ_IMPLEMENTATIONS[0]?.verify(parameters, rawPublicKey, msg, sig, context) === true;
          accepted &&= others.every((impl) => impl.verify(parameters, rawPublicKey, msg, sig, context));
          // Once per file, Custos's hedged signature from the imported seed, verified on every implementation.
          if (!hedgedChecked && context === undefined) {
            hedgedChecked = true;
            const hedged = sign(spec, 'ML_DSA_SHAKE_256', imported.material, msg, 'RAW');
            accepted &&= PQ_IMPLEMENTATIONS.every((impl) => impl.verify(parameters, rawPublicKey, msg, hedged));
          }
        }
        tally.record(test, accepted);
      }
    }
    console.log(tally.report(`${file} (${PQ_IMPLEMENTATIONS.map((impl) => impl.name).join(' + ')})`));
    ok(tally);
  });
});
