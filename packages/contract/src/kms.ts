// The Kms interface: every key operation Custos offers, implemented in-process (LocalKms) and over HTTP (RemoteKms).
// Generated from the operation registry; must not import anything but the contract's own modules.
import type { Static } from '@sinclair/typebox';
import type { Caller } from './caller.js';
import type { OPERATIONS } from './operations/index.js';
import type { ContractOperation } from './operation.js';
import type { JwkFacade } from './jwk-facade.js';

/**
 * The method an operation's row stands for: the request's static type in (optional when no field is required), the
 * response's out, the caller last.
 */
export type KmsMethod<Row extends ContractOperation> =
  Record<string, never> extends Static<Row['request']>
    ? (input?: Static<Row['request']>, caller?: Caller) => Promise<Static<Row['response']>>
    : (input: Static<Row['request']>, caller?: Caller) => Promise<Static<Row['response']>>;

/** One method per registry line, with that line's doc comment (a homomorphic mapped type keeps it). */
export type KmsOperations = { -readonly [M in keyof typeof OPERATIONS]: KmsMethod<(typeof OPERATIONS)[M]> };

/**
 * A Key Management Service. Methods are the AWS KMS operations in camelCase, taking the AWS request
 * fields in camelCase and returning the AWS response fields in camelCase, with `Uint8Array` for binary
 * and `Date` for timestamps; `keyId` in responses is the key ARN, as AWS returns it. Custos adds
 * DeriveKey, ExportKey, UpdateKeyConstraints, ListAuditRecords, VerifyAuditChain, the API token
 * operations CreateToken, ListTokens and RevokeToken, and the AWS access key operations CreateAccessKey,
 * ListAccessKeys and RevokeAccessKey.
 *
 * Every method takes the caller as its optional last argument (the in-process LocalKms defaults it
 * to an administrator; over HTTP the server derives the caller from the request's credentials). Failures are
 * thrown as `KmsError` subclasses with a stable `code` (see `docs/errors.md`), the same with
 * either implementation.
 *
 * @example
 * const caller: Caller = { principal: 'svc-billing', roles: ['key-user'] };
 * const { keyMetadata } = await kms.createKey({ keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' });
 * const dataKey = await kms.generateDataKey(
 *   { keyId: keyMetadata.keyId, keySpec: 'AES_256', encryptionContext: { tenant: 'acme' } },
 *   caller,
 * );
 * // store dataKey.ciphertextBlob, use dataKey.plaintext, then wipe it; later:
 * const { plaintext } = await kms.decrypt(
 *   { ciphertextBlob: dataKey.ciphertextBlob, encryptionContext: { tenant: 'acme' } },
 *   caller,
 * );
 */
export interface Kms extends KmsOperations {
  /** The generic KMS seed's interface: keys as JWKs, JOSE signatures, compact JWE (see {@link JwkFacade}). */
  readonly jwk: JwkFacade;
  /** Releases the store, key caches and connections; the instance is unusable afterwards. */
  close(): Promise<void>;
}
