// The Create key form's spec/usage and allowed-algorithm choices are the server's key-spec table: a spec, a usage or
// an algorithm added or changed there fails here until packages/console/src/key-spec-choices.ts says the same.
import { describe, expect, it } from 'vitest';
import { KEY_SPEC_ENTRIES } from '../../custos/src/core/key-specs.js';
import { supportedAlgorithms } from '../../custos/src/service/key-loading.js';
import { algorithmsFor, SPEC_ALGORITHMS, SPEC_USAGES, specsFor, USAGES } from '../src/key-spec-choices.js';

describe('the console key-spec choices', () => {
  it('are the server table, spec by spec', () => {
    const table = Object.fromEntries(KEY_SPEC_ENTRIES.map((e) => [e.name, [...e.usages]]));
    expect(SPEC_USAGES).toEqual(table);
  });

  it('offer, for a usage, only the specs that allow it', () => {
    expect(specsFor('GENERATE_VERIFY_MAC')).toEqual(['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512']);
    expect(specsFor('KEY_AGREEMENT')).toContain('X25519');
    expect(specsFor('KEY_AGREEMENT')).not.toContain('ECC_NIST_EDWARDS25519');
    expect(USAGES).toContain('DERIVE_KEY');
  });

  it('offer, for a spec and usage, exactly the algorithms the server accepts in allowedAlgorithms', () => {
    const table = Object.fromEntries(
      KEY_SPEC_ENTRIES.map((e) => [
        e.name,
        Object.fromEntries(e.usages.map((u) => [u, [...supportedAlgorithms(e, u)]])),
      ]),
    );
    expect(SPEC_ALGORITHMS).toEqual(table);
    expect(algorithmsFor('ECC_NIST_P256', 'SIGN_VERIFY')).toEqual(['ECDSA_SHA_256']);
    expect(algorithmsFor('RSA_2048', 'ENCRYPT_DECRYPT')).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    // A usage the spec does not allow offers nothing (the form then hides the constraint).
    expect(algorithmsFor('X25519', 'SIGN_VERIFY')).toEqual([]);
  });
});
