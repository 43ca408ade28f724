// Type-level tests of the client's public types (STYLE §9): checked by `tsc` (the root tsconfig includes tests);
// the `@ts-expect-error` lines fail the typecheck if they ever compile.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  Caller,
  DecryptResponse,
  EncryptResponse,
  Kms,
  KmsError,
  RemoteKms,
  RemoteKmsOptions,
} from '../src/index.js';

describe('RemoteKms types', () => {
  it('is assignable to Kms, method by method', () => {
    expectTypeOf<RemoteKms>().toExtend<Kms>();
    expectTypeOf<RemoteKms['encrypt']>().toEqualTypeOf<Kms['encrypt']>();
    expectTypeOf<RemoteKms['createToken']>().toEqualTypeOf<Kms['createToken']>();
    expectTypeOf<ReturnType<RemoteKms['encrypt']>>().toEqualTypeOf<Promise<EncryptResponse>>();
    expectTypeOf<Awaited<ReturnType<RemoteKms['decrypt']>>['plaintext']>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<DecryptResponse['plaintext']>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<Parameters<RemoteKms['listKeys']>[1]>().toEqualTypeOf<Caller | undefined>();
  });

  it('requires endpoint and token; the rest is optional', () => {
    expectTypeOf<{ endpoint: string; token: string }>().toExtend<RemoteKmsOptions>();
    expectTypeOf<{ endpoint: string }>().not.toExtend<RemoteKmsOptions>();
    expectTypeOf<KmsError['requestId']>().toEqualTypeOf<string | undefined>();
  });

  it('rejects wrong inputs at compile time', () => {
    // Never called: only the compiler looks at these.
    const _compileOnly = (kms: RemoteKms): void => {
      // @ts-expect-error unknown field
      void kms.encrypt({ keyId: 'k', plaintext: new Uint8Array(1), plainText: 'x' });
      // @ts-expect-error plaintext must be bytes, not a string
      void kms.encrypt({ keyId: 'k', plaintext: 'hello' });
      // @ts-expect-error keyId is required
      void kms.describeKey({});
      // @ts-expect-error not a key spec
      void kms.createKey({ keySpec: 'AES_512' });
      // @ts-expect-error not an operation
      void kms.encryptEverything({});
      expectTypeOf(kms).toExtend<Kms>();
    };
    expect(_compileOnly).toBeTypeOf('function');
  });
});
