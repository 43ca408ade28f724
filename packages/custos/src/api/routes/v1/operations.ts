// The native REST API (/v1): one Fastify route per row of the contract's ROUTES table, registered generically.
// Kept table-driven on purpose (not one file per resource): ROUTES is the single place both this server and
// RemoteKms derive from, so they cannot disagree. Handlers stay thin: build the input from the path, query or
// body (wire form → in-process form), call the Kms method with the authenticated caller, reply the wire form of
// the fields the response schema names (reply-encoder.ts).
// Validation and authorisation are the service's. Must not be imported by service, store, keystore or core.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Kind, type TSchema } from '@sinclair/typebox';
import {
  AuthenticationError,
  OPERATIONS,
  ROUTES,
  ValidationError,
  fromWire,
  pathParams,
  type Caller,
  type OperationMethod,
  type Route,
} from '@custos/contract';
import type { LocalKms } from '../../../service/local-kms.js';
import { takeKeyPin } from './key-pin.js';
import { replyEncoder } from './reply-encoder.js';

/** The reply header that carries a successful call's audit receipt (REST and AWS protocol alike). */
export const RECEIPT_HEADER = 'x-custos-receipt';

/** Operations that create a resource (createKey, createAlias, createToken, …) answer 201 Created; all others 200. */
export function successStatus(method: OperationMethod): 200 | 201 {
  return method.startsWith('create') ? 201 : 200;
}

type KmsMethod = (input: unknown, caller: Caller) => Promise<unknown>;

/**
 * The operation's input: path parameters (URL-decoded by the router) with the query string (GET, DELETE: strings
 * coerced to the schema's numbers and booleans, a single value wrapped where the schema wants an array) or the
 * JSON body (POST, PUT: base64 → bytes, ISO 8601 → Date). A body field that contradicts the path is refused.
 */
function operationInput(method: OperationMethod, route: Route, request: FastifyRequest): unknown {
  const schema = OPERATIONS[method].request as TSchema;
  const params = (request.params ?? {}) as Record<string, string>;
  const fromQuery = route.method === 'GET' || route.method === 'DELETE';
  const source = fromQuery ? wrapSingleValues(schema, { ...(request.query as object) }) : (request.body ?? {});
  if (typeof source !== 'object' || Array.isArray(source)) {
    throw new ValidationError('the request body must be a JSON object');
  }
  const input = fromWire(schema, source, { fromQuery }) as Record<string, unknown>;
  for (const name of paramsOf(route)) {
    const value = params[name];
    if (value === undefined || value === '') throw new ValidationError(`${name} is missing from the path`);
    if (name in input && input[name] !== value) throw new ValidationError(`${name} in the body differs from the path`);
    input[name] = value;
  }
  return input;
}

/** The route's path parameters, parsed once per route (this runs on every request). */
const PATH_PARAMS = new WeakMap<Route, readonly string[]>();
function paramsOf(route: Route): readonly string[] {
  let names = PATH_PARAMS.get(route);
  if (!names) PATH_PARAMS.set(route, (names = pathParams(route)));
  return names;
}

/** `?tagKeys=a` means `['a']` when the schema's field is an array. */
function wrapSingleValues(schema: TSchema, query: Record<string, unknown>): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, TSchema>;
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string' && props[key]?.[Kind] === 'Array') query[key] = [value];
  }
  return query;
}

/** Registers every ROUTES entry. */
export async function operationRoutes(app: FastifyInstance, options: { kms: LocalKms }): Promise<void> {
  for (const [method, route] of Object.entries(ROUTES) as [OperationMethod, Route][]) {
    const implementation = options.kms[method] as KmsMethod | undefined;
    if (typeof implementation !== 'function')
      throw new Error(`ROUTES names ${method}, which LocalKms does not implement`);
    const call = implementation.bind(options.kms);
    const status = successStatus(method);
    const encode = replyEncoder(OPERATIONS[method].response);
    app.route({
      method: route.method,
      url: route.path,
      config: { operation: OPERATIONS[method].name },
      schema: { hide: true },
      handler: async (request, reply) => {
        const caller = request.caller;
        if (!caller) throw new AuthenticationError();
        // Every successful call's reply carries the receipt of its audit record (docs/audit.md).
        caller.onReceipt = (receipt) => void reply.header(RECEIPT_HEADER, receipt);
        const keyPin = takeKeyPin(request, OPERATIONS[method].request); // Key PINs (key-pins)
        if (keyPin !== undefined) caller.keyPin = keyPin;
        const result = await call(operationInput(method, route, request), caller);
        return reply.code(status).send(encode(result));
      },
    });
  }
}
