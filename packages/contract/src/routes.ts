// The native REST API (/v1): one route per operation, resource-shaped, declared on the operation's row. The server
// registers its routes from ROUTES and RemoteKms builds its requests from it, so the two cannot disagree.
// Must not import anything but the operation registry.
import { OPERATIONS, type OperationMethod } from './operations/index.js';
import type { Route } from './operation.js';

export type { HttpMethod, Route } from './operation.js';

/** Every operation of the Kms interface, and where it lives on the REST API (from the rows). */
export const ROUTES = Object.fromEntries(
  Object.entries(OPERATIONS).map(([method, row]) => [method, row.route]),
) as Readonly<Record<OperationMethod, Route>>;

/** The `:field` names of a route's path. */
export function pathParams(route: Route): string[] {
  // The group always matches; the flatMap only tells the compiler so.
  return [...route.path.matchAll(/:([A-Za-z]+)/g)].flatMap(([, name]) => (name === undefined ? [] : [name]));
}
