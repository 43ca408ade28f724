// defineOperation: an operation's service definition (who may call it, in which key states, its handler), typed from
// the contract row it serves. Must not import api or store.
import { ValidationError, type ContractOperation } from '@custos/contract';
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { OpContext } from './context.js';
import type { OperationRule } from './lifecycle.js';

/** A handler of `Row`: the request's static type in, the response's out. */
type Handler<Row extends ContractOperation> = (
  ctx: OpContext,
  input: Static<Row['request']>,
) => Promise<Static<Row['response']>>;

/** What KeyService runs: the operation's rule, the check of its input, and its handler. */
export interface Runnable<In = unknown, Out = unknown> extends OperationRule {
  /** The operation as AWS spells it: audit records, logs, error messages. */
  readonly name: string;
  // Methods, not function-typed fields: a definition of one operation is then usable where "any definition" is
  // asked for (LocalKms's generated methods); the handler's own type is checked strictly by defineOperation.
  /** Throws VALIDATION_ERROR unless `input` is what the handler takes; every definition has one. */
  validate(input: unknown): asserts input is In;
  handler(ctx: OpContext, input: In): Promise<Out>;
}

/** The service definition of a Kms operation, branded by its row: a definition registered under another method fails to compile. */
export interface ServiceOperation<Row extends ContractOperation = ContractOperation> extends Runnable<
  Static<Row['request']>,
  Static<Row['response']>
> {
  readonly row: Row;
  readonly name: Row['name'];
}

/** An `any` where the request's type belongs (an explicit annotation) turns the handler into a compile error. */
type RefuseAnyInput<H extends (ctx: OpContext, input: never) => unknown> = 0 extends 1 & Parameters<H>[1]
  ? 'the handler input must be the request type, not any'
  : unknown;

/**
 * Defines a Kms operation from its contract row: `rule` says who may call it and in which key states (checked by
 * KeyService and by `loadKey`, which reads it from `ctx.operation`), `handler` does the work. The input is checked
 * against the row's request schema (compiled once, here) before the handler runs — or against `options.validate`,
 * a looser schema, for an operation whose parts are checked one by one later (Batch: each item by its own operation).
 *
 * @example
 * export const describeKey = defineOperation(describeKeyOperation, { access: 'read', states: ANY }, async (ctx, input) => {
 *   const key = await loadKey(ctx, ctx.store.db, input.keyId);
 *   return { keyMetadata: keyMetadata(ctx, key) };
 * });
 */
export function defineOperation<Row extends ContractOperation, H extends Handler<Row>>(
  row: Row,
  rule: OperationRule,
  handler: H & RefuseAnyInput<H>,
  options: { readonly validate?: TSchema } = {},
): ServiceOperation<Row> {
  const checker = TypeCompiler.Compile(options.validate ?? row.request);
  const name = row.name;
  function validate(input: unknown): asserts input is Static<Row['request']> {
    if (checker.Check(input)) return;
    const first = checker.Errors(input).First();
    const where = first?.path ? `${first.path}: ` : '';
    throw new ValidationError(`invalid ${name} request: ${where}${first?.message ?? 'malformed input'}`);
  }
  return { row, name, access: rule.access, states: rule.states, validate, handler };
}

/** An operation no caller can reach (background jobs, the first start, metrics): its input comes from the server. */
export interface InternalOperation<In, Out> extends Runnable<In, Out> {
  readonly internal: true;
}

/**
 * Defines an internal operation: audited and authorised like any other, but its input is typed, not checked,
 * because no caller can supply it (KeyService.runInternal takes `In`, never `unknown`).
 *
 * @example
 * export const destroyKey = defineInternalOperation('DestroyKey', { access: 'manage', states: S('PendingDeletion') },
 *   async (ctx, input: JobKeyInput) => { ... return {}; });
 */
export function defineInternalOperation<In, Out>(
  name: string,
  rule: OperationRule,
  handler: (ctx: OpContext, input: In) => Promise<Out>,
): InternalOperation<In, Out> {
  const validate: (input: unknown) => asserts input is In = () => undefined; // typed by the caller: see runInternal
  return { internal: true, name, access: rule.access, states: rule.states, validate, handler };
}
