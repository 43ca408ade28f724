// The row every operation declares once, in its operations/<op>.ts: method and wire name, schemas, REST route,
// retry safety and AWS availability. Must not import anything but TypeBox.
import type { TSchema } from '@sinclair/typebox';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Where an operation lives on the native REST API (/v1). */
export interface Route {
  readonly method: HttpMethod;
  /**
   * Path with `:field` parameters taken from the request's fields of the same name (URL-encoded: key ids,
   * aliases and ARNs contain `/` and `:`). GET and DELETE send the other fields as the query string; POST and
   * PUT send them as a JSON body.
   */
  readonly path: string;
}

/** One operation, everything transport-level about it: what the Kms interface, RemoteKms, the REST routes,
 * OpenAPI and the AWS targets are generated from. */
export interface ContractOperation<
  M extends string = string,
  Req extends TSchema = TSchema,
  Res extends TSchema = TSchema,
  Aws extends boolean = boolean,
> {
  /** The `Kms` method: `reEncrypt`. */
  readonly method: M;
  /** The operation as AWS KMS spells it (`ReEncrypt`): audit records, metrics labels, AWS targets, errors. */
  readonly name: Capitalize<M>;
  readonly request: Req;
  readonly response: Res;
  readonly route: Route;
  /**
   * Whether RemoteKms may send it again after a network failure, a timeout or a 502/503/504 reply, when the first
   * try may or may not have been carried out: a repeat must change nothing a caller can observe beyond the first.
   */
  readonly safeToRetry: boolean;
  /** Whether AWS KMS has this operation: the AWS endpoint serves it as `TrentService.<name>`. */
  readonly aws: Aws;
}

/**
 * Declares an operation's row. The wire name must be the method name capitalised, so a misspelling of either
 * fails to compile.
 *
 * @example
 * export const enableKeyOperation = contractOperation({
 *   method: 'enableKey', name: 'EnableKey', request: EnableKeyRequest, response: EnableKeyResponse,
 *   route: { method: 'POST', path: '/v1/keys/:keyId/enable' }, safeToRetry: true, aws: true,
 * });
 */
export function contractOperation<
  const M extends string,
  Req extends TSchema,
  Res extends TSchema,
  const Aws extends boolean,
>(row: {
  method: M;
  name: NoInfer<Capitalize<M>>;
  request: Req;
  response: Res;
  route: Route;
  safeToRetry: boolean;
  aws: Aws;
}): ContractOperation<M, Req, Res, Aws> {
  return row;
}

/**
 * The registry's check: every entry's key is its row's method, so two swapped or misnamed entries fail to compile.
 * @example const OPERATIONS = operationTable({ encrypt: encryptOperation, decrypt: decryptOperation });
 */
export function operationTable<const T extends { readonly [K in keyof T]: ContractOperation<K & string> }>(
  table: T,
): T {
  return table;
}
