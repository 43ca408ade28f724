// The row MAC of key_versions covers migration 006's columns (token_object_id, custom_key_store_id) without breaking
// the MACs of rows written before it: a NULL new column is left out of the MAC text, a value is in it.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RowIntegrity, RowIntegrityError } from '../../src/store/integrity.js';

const row = {
  key_id: 'k',
  version: 1,
  wrapped_material: new Uint8Array([1, 2]),
  public_key: null,
  created_at: 5,
  rotation_type: null,
  material_check: null,
};

describe('key_versions row MACs and the HSM columns', () => {
  const integrity = new RowIntegrity();
  integrity.setKey(randomBytes(32));

  it("keeps a row written before migration 006 valid (its new columns are NULL) and the MAC's text unchanged", () => {
    const before = integrity.mac('key_versions', row);
    expect(integrity.mac('key_versions', { ...row, token_object_id: null, custom_key_store_id: null })).toBe(before);
    expect(() => {
      integrity.check('key_versions', 'k/1', { ...row, token_object_id: null, custom_key_store_id: null }, before);
    }).not.toThrow();
  });

  it('authenticates the token object id and key store: setting, changing or clearing either fails the MAC', () => {
    const hsm = { ...row, wrapped_material: null, token_object_id: 'ab'.repeat(16), custom_key_store_id: null };
    const mac = integrity.mac('key_versions', hsm);
    const forged = [
      { ...hsm, token_object_id: 'cd'.repeat(16) }, // another object of the token
      { ...hsm, token_object_id: null }, // "a software version with its material destroyed"
      { ...hsm, custom_key_store_id: 'cks-1' }, // another key store's token
    ];
    for (const bad of forged)
      expect(() => {
        integrity.check('key_versions', 'k/1', bad, mac);
      }).toThrow(RowIntegrityError);
    // A software row given an object id by someone with database access fails too.
    expect(() => {
      integrity.check(
        'key_versions',
        'k/1',
        { ...row, token_object_id: 'ab'.repeat(16) },
        integrity.mac('key_versions', row),
      );
    }).toThrow(RowIntegrityError);
  });
});
