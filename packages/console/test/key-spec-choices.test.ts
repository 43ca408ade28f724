// The Create key form's spec/usage choices are the server's key-spec table: a spec added or changed there (or a
// usage) fails here until packages/console/src/key-spec-choices.ts says the same.
import { describe, expect, it } from 'vitest';
import { KEY_SPEC_ENTRIES } from '../../custos/src/core/key-specs.js';
import { SPEC_USAGES, specsFor, USAGES } from '../src/key-spec-choices.js';

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
});
