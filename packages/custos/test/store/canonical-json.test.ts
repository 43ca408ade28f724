// canonicalJson is part of the audit chain's released hash formula: its text must never change for a value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/store/repositories/audit.js';

/** The definition: take the value's JSON form, sort every object's keys, serialise. */
function reference(value: unknown): string | undefined {
  const text = JSON.stringify(value);
  if (text === undefined) return undefined;
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(obj)
          .sort()
          .map((k) => [k, sort(obj[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(JSON.parse(text)));
}

describe('canonicalJson', () => {
  it('sorts keys at every level, in arrays too', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: null }], '10': 0, '9': 0 })).toBe(
      '{"9":0,"10":0,"a":[{"c":null,"d":1}],"b":1}',
    );
  });

  it('serialises the JSON form: toJSON applied, undefined dropped, boxed values unboxed, "__proto__" kept as a key', () => {
    const value = JSON.parse('{"__proto__":{"z":1,"y":2}}') as Record<string, unknown>;
    Object.assign(value, { at: new Date(0), gone: undefined, n: Object(3), s: Object('x'), list: [undefined, 1] });
    expect(canonicalJson(value)).toBe(
      '{"__proto__":{"y":2,"z":1},"at":"1970-01-01T00:00:00.000Z","list":[null,1],"n":3,"s":"x"}',
    );
  });

  it('agrees with its definition on any value', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBoxedValues: true, withDate: true, withNullPrototype: true, withObjectString: true }),
        (value) => {
          expect(canonicalJson(value)).toBe(reference(value));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
