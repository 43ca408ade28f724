// The one place a key-targeted call is authorised (issue 16): the key policy, the caller's roles (identity policies)
// and the key's grants decide; an explicit Deny wins. Called by admitKey once the key is known. Must not import api.
import { AccessDeniedError } from '@custos/contract';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { ROLE_GRANTS } from '../lifecycle.js';
import { grantAllows } from './grant-match.js';
import { grantsForKey, type GrantView } from './grants-source.js';
import { requestFacts } from './request-facts.js';

/** AWS splits some operations into two actions on two keys; the first key a call admits takes the first. */
const FIRST_ACTION: Readonly<Record<string, string>> = { ReEncrypt: 'kms:ReEncryptFrom' };

/** The `kms:` action of the call's operation on the key it admits now (`action` overrides, e.g. kms:ReEncryptTo). */
export function actionOf(ctx: OpContext, action?: string): string {
  return action ?? FIRST_ACTION[ctx.operation.name] ?? `kms:${ctx.operation.name}`;
}

/** Whether the caller's roles (identity policies) allow the call's kind of access. */
export function rolesAllow(ctx: OpContext): boolean {
  const access = ctx.operation.access;
  return ctx.caller.roles.some((role) => Object.hasOwn(ROLE_GRANTS, role) && ROLE_GRANTS[role].includes(access));
}

/**
 * Decides whether the caller may run the call's operation on `key`: ACCESS_DENIED otherwise. No promise unless the
 * grants must be read. Every key-targeted call must come through here (KeyService fails it INTERNAL otherwise).
 * @example await authorizeKey(ctx, key);
 */
export function authorizeKey(ctx: OpContext, key: KeyRecord, action?: string): void | Promise<void> {
  const name = actionOf(ctx, action);
  // Internal operations (jobs, the first start) are the server acting on its own keys, as AWS services are.
  if ('internal' in ctx.operation || rolesAllow(ctx)) {
    ctx.authz.keysAuthorized += 1;
    return;
  }
  const decide = (grants: readonly GrantView[]): void => {
    const facts = requestFacts(ctx, key, name);
    const operation = name.slice(4);
    if (!grants.some((grant) => grantAllows(grant, operation, facts))) throw denied(ctx, name);
    ctx.authz.keysAuthorized += 1;
  };
  const grants = grantsForKey(ctx, key.id);
  return Array.isArray(grants) ? decide(grants) : (grants as Promise<readonly GrantView[]>).then(decide);
}

function denied(ctx: OpContext, action: string): AccessDeniedError {
  return new AccessDeniedError(`${ctx.caller.principal} is not allowed ${action} on this key`);
}
