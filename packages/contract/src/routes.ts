// The native REST API (/v1): one route per operation, resource-shaped, declared on the operation's row. The server
// registers its routes from ROUTES and RemoteKms builds its requests from it, so the two cannot disagree.
// Must not import anything but the operation registry.
import { OPERATIONS, type OperationMethod } from './operations/index.js';
import type { Route } from './operation.js';

export type { HttpMethod, Route } from './operation.js';

/** Every operation of the Kms interface, and where it lives on the REST API (from the rows). */
export const ROUTES = Object.fromEntries(Object.entries(OPERATIONS).map(([method, row]) => [method, row.route])) as {
  readonly [M in OperationMethod]: Route;
};

/** The `:field` names of a route's path. */
export function pathParams(route: Route): string[] {
  return [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
}
