// Turns a Kms call into an HTTP request from the contract's ROUTES table: path parameters, query string or JSON body.
// Must not import anything but @custos/contract.
import {
  NotFoundError,
  OPERATIONS,
  ROUTES,
  ValidationError,
  pathParams,
  toWire,
  type HttpMethod,
  type KmsError,
  type OperationMethod,
} from '@custos/contract';

/** One HTTP request, relative to the endpoint. */
export interface HttpCall {
  readonly method: HttpMethod;
  /** Path and query string, e.g. `/v1/keys/alias%2Forders/encrypt` or `/v1/keys?limit=10`. */
  readonly path: string;
  /** JSON body (POST and PUT). */
  readonly body?: string;
}

/**
 * The request for `operation` with `input` (ROUTES, contract/src/routes.ts): path parameters come from the
 * input fields of the same name, URL-encoded (key ids, aliases and ARNs contain `/` and `:`); GET and DELETE send
 * the other fields as the query string, POST and PUT as a JSON body, in the wire form (bytes base64, dates ISO).
 * Undefined fields are left out. Everything else is checked by the server, which answers as LocalKms would.
 *
 * @example
 * buildCall('encrypt', { keyId: 'alias/orders', plaintext: new Uint8Array([1]) });
 * // { method: 'POST', path: '/v1/keys/alias%2Forders/encrypt', body: '{"plaintext":"AQ=="}' }
 */
export function buildCall(operation: OperationMethod, input: unknown): HttpCall {
  const route = ROUTES[operation];
  const fields = input ?? {};
  if (typeof fields !== 'object' || Array.isArray(fields)) {
    throw new ValidationError(`invalid ${OPERATIONS[operation].name} request: expected an object`);
  }
  const rest = new Map<string, unknown>(Object.entries(fields));
  let path = route.path;
  for (const param of pathParams(route)) {
    const value = rest.get(param);
    if (typeof value !== 'string' || value === '') {
      throw new ValidationError(
        `invalid ${OPERATIONS[operation].name} request: /${param}: expected a non-empty string`,
      );
    }
    if (value === '.' || value === '..') throw dotSegment(param, value);
    path = path.replace(`:${param}`, () => encodeURIComponent(value));
    rest.delete(param);
  }
  const wire = toWire(Object.fromEntries(rest)) as Record<string, unknown>;
  if (route.method === 'POST' || route.method === 'PUT')
    return { method: route.method, path, body: JSON.stringify(wire) };
  const query = toQuery(wire);
  return { method: route.method, path: query ? `${path}?${query}` : path };
}

/**
 * `.` and `..` cannot travel as a path segment (URL parsers resolve them, even percent-encoded, and the request
 * would reach another route). No key, alias or token has such a name, so answer as LocalKms does for a name
 * that matches nothing: KEY_NOT_FOUND for a key reference, VALIDATION_ERROR for an alias name (the schema wants
 * `alias/...`), NOT_FOUND otherwise.
 */
function dotSegment(param: string, value: string): KmsError {
  if (param === 'keyId') return new NotFoundError(`key not found: ${value}`, 'KEY_NOT_FOUND');
  if (param === 'aliasName') return new ValidationError(`invalid alias name: ${value}`);
  return new NotFoundError(`not found: ${value}`);
}

/** Wire-form fields as a query string; an array repeats its key (`tagKeys=a&tagKeys=b`). */
function toQuery(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined) continue;
      params.append(name, typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item));
    }
  }
  return params.toString();
}
