// The audit chain is a released format: canonicalJson's text and every hash must never change for a value, or
// existing logs would stop verifying. The golden hashes were computed by the format as first released.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, chainEntries } from '../../../src/service/audit/chain.js';
import type { AuditEntry } from '../../../src/store/index.js';

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

describe('chainEntries', () => {
  const first: AuditEntry = {
    time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
    principal: 'admin',
    operation: 'Encrypt',
    keyId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
    keyVersion: 2,
    outcome: 'allowed',
    errorCode: null,
    requestId: 'req-1',
    details: { b: [1, { d: null, c: 'x' }], a: 'é' },
  };
  const second: AuditEntry = {
    time: new Date(0),
    principal: 'token:abc',
    operation: 'Decrypt',
    keyId: null,
    keyVersion: null,
    outcome: 'denied',
    errorCode: 'ACCESS_DENIED',
    requestId: 'req-2',
    details: null,
  };
  const GOLDEN_1 = 'aaf1b8ec1ff041f5e0e5dda92c73b04516ad3621d16d6af03934944c31dbdc6d';
  const GOLDEN_2 = '3780db85ed88eec5e17c60159a031096fc5846cef4d7ebe9aa83e06d01570bff';

  it('hashes as the released format did: fixed golden hashes from genesis', () => {
    expect(chainEntries(null, [first, second], null)).toEqual([
      {
        time: 1767323045678,
        principal: 'admin',
        operation: 'Encrypt',
        keyId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
        keyVersion: 2,
        outcome: 'allowed',
        errorCode: null,
        requestId: 'req-1',
        details: '{"a":"é","b":[1,{"c":"x","d":null}]}',
        prevHash: GENESIS_HASH,
        hash: GOLDEN_1,
        chain: 1,
      },
      {
        time: 0,
        principal: 'token:abc',
        operation: 'Decrypt',
        keyId: null,
        keyVersion: null,
        outcome: 'denied',
        errorCode: 'ACCESS_DENIED',
        requestId: 'req-2',
        details: null,
        prevHash: GOLDEN_1,
        hash: GOLDEN_2,
        chain: 1,
      },
    ]);
  });

  it('chains after a given head as after the record that has it', () => {
    expect(chainEntries(GOLDEN_1, [second], null)[0]?.hash).toBe(GOLDEN_2);
    expect(chainEntries(GENESIS_HASH, [first], null)[0]?.hash).toBe(GOLDEN_1);
    expect(chainEntries(null, [], null)).toEqual([]);
  });
});
