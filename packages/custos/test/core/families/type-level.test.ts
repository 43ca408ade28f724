// Compile-only checks (run by `tsc`, STYLE §9): the misuses the family descriptors rule out must not compile.
import { describe, expect, it } from 'vitest';
import { jwkAlg, publicJwk } from '../../../src/core/jwk.js';
import { keySpec, specEntry } from '../../../src/core/key-specs.js';

describe('type-level: JWK alg and spec lookups', () => {
  it('a caller cannot choose a JWK alg, name a JOSE alg as an algorithm, or look up an unparsed name', () => {
    const spec = keySpec('ECC_SECG_P256K1');
    const misuses = (name: string) => {
      // @ts-expect-error the alg comes from the family and the key's algorithms, never from the caller
      publicJwk(spec, new Uint8Array(), { kid: 'k', algorithms: ['ECDSA_SHA_256'], keyOps: [], alg: 'ES256' });
      // @ts-expect-error a key's algorithms are Custos names; JOSE names come out of the descriptor
      jwkAlg(spec, ['ES256']);
      // @ts-expect-error specEntry looks up a name already parsed (KeySpec); a raw string goes through keySpec
      specEntry(name);
    };
    expect(misuses).toBeTypeOf('function');
  });
});
