import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { KmsError, OPERATIONS, ROUTES, decodeBase64, fromWire, pathParams, toWire, wireSchema } from '../src/index.js';

describe('wire form', () => {
  it('round-trips bytes and dates of an Encrypt request and a KeyMetadata response', () => {
    const request = { keyId: 'alias/a', plaintext: new Uint8Array([0, 1, 255]), encryptionContext: { a: 'b' } };
    const json = JSON.parse(JSON.stringify(toWire(request)));
    expect(json.plaintext).toBe('AAH/');
    const back = fromWire(OPERATIONS.encrypt.request, json);
    expect(back).toEqual(request);
    expect(Value.Check(OPERATIONS.encrypt.request, back)).toBe(true);
  });

  it('decodes dates inside nested optional and nullable fields', () => {
    const input = { keyId: 'k', notAfter: '2030-01-01T00:00:00.000Z', notBefore: null };
    const back = fromWire(OPERATIONS.updateKeyConstraints.request, input) as Record<string, unknown>;
    expect(back.notAfter).toEqual(new Date('2030-01-01T00:00:00.000Z'));
    expect(back.notBefore).toBeNull();
  });

  it('rejects malformed base64 and dates with VALIDATION_ERROR', () => {
    // Missing padding, junk, extra padding, non-canonical trailing bits, URL-safe letters, whitespace.
    for (const bad of ['abc', '!!!!', 'AAH/=', 'QR==', 'AA-_', 'AA H/', 'AAH/\n']) {
      expect(() => fromWire(OPERATIONS.encrypt.request, { keyId: 'k', plaintext: bad })).toThrow(KmsError);
    }
    expect(() => fromWire(OPERATIONS.updateKeyConstraints.request, { keyId: 'k', notAfter: 'yesterday' })).toThrow(
      KmsError,
    );
  });

  it('decodes strict base64 to a plain Uint8Array', () => {
    expect(decodeBase64('')).toEqual(new Uint8Array(0));
    expect(decodeBase64('QQ==')).toEqual(new Uint8Array([0x41]));
    expect(decodeBase64('QR==')).toBeUndefined();
    const bytes = decodeBase64('AAH/')!;
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype); // not a Buffer
    expect([...bytes]).toEqual([0, 1, 255]);
  });

  it('accepts exactly the canonical encodings (property: decoding and re-encoding gives the text back)', () => {
    const chars = fc.constantFrom(...'AQgw/+9Zaz=-_ \n!é'.split(''));
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 16 }), (parts) => {
        const text = parts.join('');
        const reference = Buffer.from(text, 'base64');
        const canonical = reference.toString('base64') === text;
        const decoded = decodeBase64(text);
        expect(decoded !== undefined).toBe(canonical);
        if (decoded && text !== '') accepted++;
        if (decoded) expect(Buffer.from(decoded).equals(reference)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    expect(accepted).toBeGreaterThan(100); // the generator reaches non-empty valid encodings, not only junk
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBase64(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
      }),
    );
  });

  it('decodes bytes as views (a request read and dropped) or, with ownBytes, over buffers of their own', () => {
    const json = { plaintext: 'AAH/' };
    const view = (fromWire(OPERATIONS.generateRandom.response, json) as { plaintext: Uint8Array }).plaintext;
    const owned = (fromWire(OPERATIONS.generateRandom.response, json, { ownBytes: true }) as { plaintext: Uint8Array })
      .plaintext;
    expect([...view]).toEqual([0, 1, 255]);
    expect([...owned]).toEqual([0, 1, 255]);
    expect(view.buffer.byteLength).toBeGreaterThan(3); // Node's pool
    expect([owned.byteOffset, owned.buffer.byteLength]).toEqual([0, 3]);
  });

  it('with ownBytes, leaves no copy of the decoded bytes in the shared Buffer pool (they may be plaintext)', () => {
    const secret = Buffer.alloc(32, 'a data key the caller will wipe'); // not from the pool itself
    const json = { plaintext: secret.toString('base64') };
    const pool = () => Buffer.from(Buffer.allocUnsafe(1).buffer); // the pool slab small Buffers are cut from
    const view = (fromWire(OPERATIONS.generateRandom.response, json) as { plaintext: Uint8Array }).plaintext;
    expect(view.buffer.byteLength).toBe(pool().length); // precondition: decoding cuts from that pool
    const slabBefore = Buffer.allocUnsafe(1).buffer;
    view.fill(0); // the view's copy is this test's to clear
    const owned = (fromWire(OPERATIONS.generateRandom.response, json, { ownBytes: true }) as { plaintext: Uint8Array })
      .plaintext;
    expect([...owned]).toEqual([...secret]); // (a Buffer.from copy would land in the pool)
    for (const slab of [Buffer.from(slabBefore), pool()]) expect(slab.includes(secret)).toBe(false);
  });

  it('coerces query strings to the numbers the schema asks for', () => {
    expect(fromWire(OPERATIONS.listKeys.request, { limit: '10' }, { fromQuery: true })).toEqual({ limit: 10 });
    expect(fromWire(OPERATIONS.listKeys.request, { limit: '10' })).toEqual({ limit: '10' });
  });

  it('describes bytes as base64 strings and dates as date-time in the JSON Schema', () => {
    const schema = wireSchema(OPERATIONS.encrypt.request) as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.plaintext).toMatchObject({ type: 'string', contentEncoding: 'base64' });
    const meta = wireSchema(OPERATIONS.describeKey.response) as {
      properties: { keyMetadata: { properties: Record<string, Record<string, unknown>> } };
    };
    expect(meta.properties.keyMetadata.properties.creationDate).toMatchObject({ type: 'string', format: 'date-time' });
  });
});

describe('routes', () => {
  it('gives every operation a route, and no two operations the same one', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(Object.keys(OPERATIONS).sort());
    const seen = new Set(Object.values(ROUTES).map((r) => `${r.method} ${r.path}`));
    expect(seen.size).toBe(Object.keys(ROUTES).length);
  });

  it('takes path parameters only from fields the request has', () => {
    for (const [method, route] of Object.entries(ROUTES)) {
      const props = OPERATIONS[method as keyof typeof OPERATIONS].request as {
        properties?: object;
        anyOf?: { properties: object }[];
      };
      const fields = new Set(Object.keys(props.properties ?? props.anyOf?.[0]?.properties ?? {}));
      for (const param of pathParams(route)) expect(fields.has(param), `${method} :${param}`).toBe(true);
    }
  });
});
