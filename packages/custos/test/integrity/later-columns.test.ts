// A column added to an authenticated table after its rows were MAC'd (keys.publish_jwk, migration 010) enters the
// MAC only when it differs from the value older rows hold: every MAC written before stays valid, and flipping the
// column without the row key is caught.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RowIntegrity, RowIntegrityError } from '../../src/store/integrity.js';

const row = { id: 'k1', spec: 'ECC_NIST_P256', usage: 'SIGN_VERIFY', state: 'Enabled', exportable: 0, use_count: 0 };

describe('row MACs and later columns', () => {
  const integrity = new RowIntegrity();
  integrity.setKey(randomBytes(32));

  it('a row at the later column default has the MAC it had before the column existed', () => {
    const before = integrity.mac('keys', row);
    expect(integrity.mac('keys', { ...row, publish_jwk: 0 })).toBe(before);
    expect(integrity.mac('keys', { ...row, publish_jwk: '0' })).toBe(before);
    expect(() => {
      integrity.check('keys', 'k1', { ...row, publish_jwk: 0 }, before);
    }).not.toThrow();
  });

  it('a row with the later column set has another MAC, and the old one fails its check', () => {
    const before = integrity.mac('keys', row);
    const published = integrity.mac('keys', { ...row, publish_jwk: 1 });
    expect(published).not.toBe(before);
    expect(() => {
      integrity.check('keys', 'k1', { ...row, publish_jwk: 1 }, before);
    }).toThrow(RowIntegrityError);
    expect(() => {
      integrity.check('keys', 'k1', { ...row, publish_jwk: 0 }, published);
    }).toThrow(RowIntegrityError);
  });

  it.each(['pin_protected', 'public_key_only'])('%s (migrations 015, 017) is covered the same way', (column) => {
    const before = integrity.mac('keys', row);
    expect(integrity.mac('keys', { ...row, [column]: 0 })).toBe(before);
    const flagged = integrity.mac('keys', { ...row, [column]: 1 });
    expect(flagged).not.toBe(before);
    expect(() => {
      integrity.check('keys', 'k1', { ...row, [column]: 0 }, flagged);
    }).toThrow(RowIntegrityError);
    expect(() => {
      integrity.check('keys', 'k1', { ...row, [column]: 1 }, before);
    }).toThrow(RowIntegrityError);
  });
});
