// The checks a call meets before its handler runs, in KeyService: the up-front role check, and the key a refused call
// named (for its denied record). Must not import api.
import { AccessDeniedError, type Caller } from '@custos/contract';
import type { ServiceConfig } from './context.js';
import { parseKeyRef } from './key-ref.js';
import { ROLE_GRANTS, type RunningOperation } from './lifecycle.js';

/**
 * The up-front check: roles alone decide operations on no key. A key-targeted operation goes on to its key, where the
 * key policy, the roles and the grants decide (authz/authorize-key.ts, from admitKey), so that a principal with no
 * role may use what a key policy or a grant gives it.
 */
export function authorise(operation: RunningOperation, caller: Caller): void {
  const access = operation.access;
  if (operation.states !== null || access === 'self') return;
  // Roles are typed for TypeScript callers only: a role this version does not know (or `constructor`) grants nothing.
  if (!caller.roles.some((role) => Object.hasOwn(ROLE_GRANTS, role) && ROLE_GRANTS[role].includes(access))) {
    throw new AccessDeniedError(`${caller.principal} may not call ${operation.name}`);
  }
}

/**
 * The key a refused caller named, when named by id or key ARN, so the denied record says which key was asked for
 * (as CloudTrail does). Nothing is looked up: aliases stay unresolved for a caller who may not use them.
 */
export function namedKeyId(input: unknown, config: ServiceConfig): string | null {
  const keyId = (input as { keyId?: unknown } | null | undefined)?.keyId;
  if (typeof keyId !== 'string') return null;
  try {
    const ref = parseKeyRef(keyId, config);
    return ref.kind === 'id' ? ref.id : null;
  } catch {
    return null; // a malformed reference, or an ARN of another account or region
  }
}
