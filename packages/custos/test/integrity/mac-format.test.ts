// The row MAC's text is a released format (store/integrity.ts, version 1): HMAC-SHA-256 over
// JSON.stringify([table, [column, value], ...]). The store writes that text directly, without building the array; these
// rows, with every kind of value a column holds (text needing escapes, bytes, int8 as a number, a bigint and a string,
// NULLs left out or kept, later columns at and off their default), check it against JSON.stringify of the array.
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AUTHENTICATED_COLUMNS, type AuthenticatedTable } from '../../src/store/integrity-columns.js';
import { RowIntegrity } from '../../src/store/integrity.js';

const key = randomBytes(32);

/** The format as written in integrity.ts's header, built the plain way. */
function reference(table: string, columns: readonly string[], row: Record<string, unknown>): string {
  const text = (value: unknown): unknown => {
    if (value === null || value === undefined) return null;
    if (value instanceof Uint8Array) return { b: Buffer.from(value).toString('base64') };
    if (
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'bigint' ||
      typeof value === 'boolean'
    )
      return String(value);
    throw new Error('not a column value');
  };
  const omitted = new Set(['custom_key_store_id', 'token_object_id', 'wrapping_key_id', 'tags', 'trim_date']);
  const parts: unknown[] = [table];
  for (const column of columns)
    if (row[column] !== null && row[column] !== undefined) parts.push([column, text(row[column])]);
    else if (!omitted.has(column)) parts.push([column, null]);
  const later: Record<string, string> =
    table === 'keys'
      ? { publish_jwk: '0', pin_protected: '0', min_decryption_version: '1', trim_floor: '1', public_key_only: '0' }
      : {};
  for (const [column, before] of Object.entries(later)) {
    const value = text(row[column]);
    if (value !== null && value !== before) parts.push([column, value]);
  }
  return `m1.${createHmac('sha256', key).update(JSON.stringify(parts)).digest('base64url')}`;
}

const awkward = [
  'plain',
  'quote " backslash \\ slash /',
  'line\nbreak\ttab\u0000nul\u001f',
  'ünïcødé 🔑 \u2028\u2029',
  '\ud800 lone surrogate',
  '',
];

function rowFor(columns: readonly string[], seed: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const pick = (seed + i) % 7;
    row[column] =
      pick === 0
        ? null
        : pick === 1
          ? new Uint8Array(randomBytes((seed + i) % 40))
          : pick === 2
            ? seed * 1_000_003 + i
            : pick === 3
              ? BigInt(seed) * 10n ** 15n
              : pick === 4
                ? String(seed * 7 + i) // int8 as PostgreSQL returns it
                : awkward[(seed + i) % awkward.length];
  });
  return row;
}

describe('the row MAC text (format version 1)', () => {
  const integrity = new RowIntegrity();
  integrity.setKey(key);
  const tables = Object.keys(AUTHENTICATED_COLUMNS) as AuthenticatedTable[];

  it.each(tables)('%s: the MAC is HMAC-SHA-256 of JSON.stringify([table, [column, value], ...])', (table) => {
    const columns: readonly string[] = AUTHENTICATED_COLUMNS[table];
    for (let seed = 0; seed < 14; seed++) {
      const row = rowFor(columns, seed);
      expect(integrity.mac(table, row)).toBe(reference(table, columns, row));
    }
  });

  it('later columns enter the text only off their default, with any value kind', () => {
    const columns: readonly string[] = AUTHENTICATED_COLUMNS.keys;
    const base = rowFor(columns, 3);
    for (const later of [
      { publish_jwk: 0, pin_protected: '0', min_decryption_version: 1, trim_floor: '1', public_key_only: null },
      { publish_jwk: 1, pin_protected: true, min_decryption_version: 4n, trim_floor: 'x"y', public_key_only: 1 },
      { publish_jwk: new Uint8Array([0x30]), min_decryption_version: '01' },
    ]) {
      const row = { ...base, ...later };
      expect(integrity.mac('keys', row)).toBe(reference('keys', columns, row));
    }
  });

  it('a value no column holds (an object) is refused, not written as some text', () => {
    expect(() => integrity.mac('aliases', { name: 'alias/a', key_id: { id: 'k' } })).toThrow(/cannot be authenticated/);
  });
});
