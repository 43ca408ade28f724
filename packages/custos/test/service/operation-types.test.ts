// Type-level tests of the operation declarations (issue 11): each slip below compiled before and must not now.
// Checked by `tsc -p tsconfig.json` (which includes the tests); an `@ts-expect-error` that stops erroring fails it.
import { describe, expect, it } from 'vitest';
import {
  contractOperation,
  encryptOperation,
  EncryptRequest,
  EncryptResponse,
  operationTable,
  signOperation,
  type SignRequest,
} from '@custos/contract';
import { defineOperation } from '../../src/service/define-operation.js';
import { loadKey } from '../../src/service/key-loading.js';
import { USABLE } from '../../src/service/lifecycle.js';
import { encrypt } from '../../src/service/operations/encrypt.js';
import { SERVICE_OPERATIONS, type ServiceOperations } from '../../src/service/operations/index.js';
import { sign } from '../../src/service/operations/sign.js';

const rule = { access: 'use', states: USABLE } as const;
const encryptRow = { request: EncryptRequest, response: EncryptResponse, safeToRetry: true, aws: true } as const;
const route = { method: 'POST', path: '/v1/keys/:keyId/encrypt' } as const;

/** Holds a `satisfies` check as a statement: only its type matters, and the compiler has looked at it. */
const typeCheck = (_checked: unknown): void => undefined;

// Never called: only the compiler looks at these.
export function compileOnly(): void {
  // A typo in an operation's wire name: the name must be the method, capitalised.
  // @ts-expect-error 'Encrpyt' is not Capitalize<'encrypt'>
  contractOperation({ method: 'encrypt', name: 'Encrpyt', route, ...encryptRow });
  contractOperation({ method: 'encrypt', name: 'Encrypt', route, ...encryptRow });

  // Two swapped entries in the contract's registry: each key must be its row's method.
  // @ts-expect-error the sign row registered under encrypt
  operationTable({ encrypt: signOperation, sign: encryptOperation });

  // Two swapped entries in the service's registry, a missing one, and a misspelt one.
  // @ts-expect-error the sign definition registered under encrypt
  typeCheck({ ...SERVICE_OPERATIONS, encrypt: sign, sign: encrypt } satisfies ServiceOperations);
  const { encrypt: _missing, ...withoutEncrypt } = SERVICE_OPERATIONS;
  // @ts-expect-error encrypt is missing
  typeCheck(withoutEncrypt satisfies ServiceOperations);
  // @ts-expect-error encrpyt is not an operation
  typeCheck({ ...withoutEncrypt, encrpyt: encrypt } satisfies ServiceOperations);

  // A handler naming the operation it runs as: loadKey reads it from ctx.operation and takes no name.
  defineOperation(encryptOperation, rule, async (ctx, input) => {
    // @ts-expect-error loadKey takes no operation name (this one would let a Disabled key through)
    await loadKey(ctx, ctx.store.db, input.keyId, 'DescribeKey');
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    return { ciphertextBlob: new Uint8Array(), keyId: key.id, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  });

  // A handler whose input is `any`, or another operation's request.
  // @ts-expect-error the input must be the request type, not any
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the `any` is what this line proves is refused
  defineOperation(encryptOperation, rule, async (_ctx, _input: any) => ({}) as EncryptResponse);
  // @ts-expect-error Encrypt's handler cannot take Sign's request
  defineOperation(encryptOperation, rule, async (_ctx, _input: SignRequest) => ({}) as EncryptResponse);
  // A handler whose output is not the response type.
  // @ts-expect-error Encrypt must return ciphertextBlob, keyId and encryptionAlgorithm
  defineOperation(encryptOperation, rule, async () => ({ keyId: 'k' }));
}

describe('operation declarations', () => {
  it('brand each service definition with its own contract row', () => {
    expect(SERVICE_OPERATIONS.encrypt.row).toBe(encryptOperation);
    expect(SERVICE_OPERATIONS.sign.row).toBe(signOperation);
    expect(SERVICE_OPERATIONS.encrypt.name).toBe('Encrypt');
  });
});
