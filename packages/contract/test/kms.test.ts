import type { Static } from '@sinclair/typebox';
import { describe, expectTypeOf, it } from 'vitest';
import type { Caller, Kms, OPERATIONS, OperationMethod } from '../src/index.js';

type Ops = typeof OPERATIONS;

describe('Kms', () => {
  it('has exactly one method per OPERATIONS entry, plus close and the jwk facade', () => {
    expectTypeOf<Exclude<keyof Kms, 'close' | 'jwk'>>().toEqualTypeOf<OperationMethod>();
  });

  it('takes and returns the Static types of the table schemas, with the caller last', () => {
    type Method<K extends OperationMethod> = (
      input: Static<Ops[K]['request']>,
      caller?: Caller,
    ) => Promise<Static<Ops[K]['response']>>;
    type FromTable = { [K in OperationMethod]: Method<K> };
    type Required<K extends OperationMethod> = (
      input: Parameters<Kms[K]>[0] & {},
      caller?: Caller,
    ) => ReturnType<Kms[K]>;
    type FromKms = { [K in OperationMethod]: Required<K> };
    expectTypeOf<FromKms>().toEqualTypeOf<FromTable>();
  });
});
