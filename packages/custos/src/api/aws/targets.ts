// The AWS KMS operations Custos serves: `X-Amz-Target` → a handler that turns the AWS request shape into the
// contract's input, calls the Kms, and turns the result back. Must not import service, store, keystore or core.
import { OPERATIONS, type Caller, type Kms, type OperationMethod } from '@custos/contract';
import { requestDecoder, responseEncoder } from './shapes.js';

/** A `Kms` method that AWS KMS also has (`aws: true` in OPERATIONS): only these can be targets. */
type AwsMethod = {
  [M in OperationMethod]: (typeof OPERATIONS)[M]['aws'] extends true ? M : never;
}[OperationMethod];

/** One target: the parsed JSON body of an AWS request and the authenticated caller → the AWS response body. */
export type AwsTarget = (kms: Kms, body: Record<string, unknown>, caller: Caller) => Promise<unknown>;

/**
 * Custos-only request fields the AWS protocol sets itself, so that AWS clients get AWS's behaviour: ScheduleKeyDeletion
 * schedules a recently used key (AWS only warns in its documentation; the native API refuses without force).
 */
const AWS_INPUT: Partial<Record<AwsMethod, Readonly<Record<string, unknown>>>> = {
  scheduleKeyDeletion: { force: true },
};

/** The handler of one AWS operation, from the contract's schemas (no per-operation mapping code), compiled once. */
function target(method: AwsMethod): AwsTarget {
  const { request, response } = OPERATIONS[method];
  const decode = requestDecoder(request);
  const encode = responseEncoder(response);
  const fixed = AWS_INPUT[method];
  return async (kms, body, caller) => {
    const parsed = decode(body);
    const input = fixed ? { ...(parsed as Record<string, unknown>), ...fixed } : parsed;
    const call = kms[method] as (input: unknown, caller: Caller) => Promise<unknown>;
    return encode(await call.call(kms, input, caller));
  };
}

/** The `X-Amz-Target` of an AWS operation: its wire name in the TrentService namespace. */
function awsTarget(name: string): string {
  return `TrentService.${name}`;
}

/** Every `TrentService.*` target Custos serves (the rows with `aws: true`); any other is UnsupportedOperationException. */
export const TARGETS: Readonly<Record<string, AwsTarget>> = Object.fromEntries(
  (Object.keys(OPERATIONS) as OperationMethod[])
    .filter((method): method is AwsMethod => OPERATIONS[method].aws)
    .map((method) => [awsTarget(OPERATIONS[method].name), target(method)]),
);
