// The one place a key-targeted call is authorised (issue 16): the key policy, the caller's roles (identity policies)
// and the key's grants decide; an explicit Deny wins. Called by admitKey once the key is known. Must not import api.
import { AccessDeniedError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { Db } from '../../store/index.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { keyArn } from '../key-ref.js';
import { ROLE_GRANTS } from '../lifecycle.js';
import { evaluatePolicy } from './evaluate.js';
import { grantAllows } from './grant-match.js';
import { grantsForKey, type GrantView } from './grants-source.js';
import { compiledPolicyOf } from './policy-cache.js';
import type { CompiledPolicy } from './policy-document.js';
import { requestFacts, type RequestFacts } from './request-facts.js';

/** An action a handler names for a key it admits, where it differs from its operation's (ReEncrypt's destination). */
export type KeyAction = 'kms:ReEncryptTo';

/** AWS splits some operations into two actions on two keys; the first key a call admits takes the first. */
const FIRST_ACTION: Readonly<Record<string, string>> = { ReEncrypt: 'kms:ReEncryptFrom' };

/** The `kms:` action of the call's operation on the key it admits now (`action` overrides, e.g. kms:ReEncryptTo). */
function actionOf(ctx: OpContext, action?: KeyAction): string {
  return action ?? FIRST_ACTION[ctx.operation.name] ?? `kms:${ctx.operation.name}`;
}

/** Whether the caller's roles (identity policies) allow the call's kind of access. */
function rolesAllow(ctx: OpContext): boolean {
  const access = ctx.operation.access;
  return ctx.caller.roles.some((role) => Object.hasOwn(ROLE_GRANTS, role) && ROLE_GRANTS[role].includes(access));
}

/**
 * Decides whether the caller may run the call's operation on `key`: ACCESS_DENIED otherwise. No promise unless the
 * grants or the key's aliases must be read (aliases through `db`, the call's transaction if any). Every key-targeted call must come through here (KeyService fails it
 * INTERNAL otherwise).
 * @example await authorizeKey(ctx, key);
 */
export function authorizeKey(
  ctx: OpContext,
  key: KeyRecord,
  action?: KeyAction,
  db: Db = ctx.store.db,
): undefined | Promise<void> {
  // Internal operations (jobs, the first start) are the server acting on its own keys, as AWS services are.
  if ('internal' in ctx.operation) {
    admitted(ctx);
    return undefined;
  }
  const name = actionOf(ctx, action);
  const roles = rolesAllow(ctx);
  // No policy put: AWS's default (the account root may do kms:*), which delegates to the roles and denies nothing.
  if (key.policy === null) {
    if (!roles) return viaGrants(ctx, key, name, requestFacts(ctx, key, name), db);
    admitted(ctx);
    return undefined;
  }
  const policy = policyOf(ctx, key as KeyRecord & { readonly policy: string });
  const call: Call = { ctx, key, name, db };
  if (!policy.readsResourceAliases) return decide(call, policy, roles, []);
  return repo.aliases.listByKey(db, key.id).then((aliases) =>
    decide(
      call,
      policy,
      roles,
      aliases.map((alias) => alias.name),
    ),
  );
}

function policyOf(ctx: OpContext, key: KeyRecord & { readonly policy: string }): CompiledPolicy {
  try {
    return compiledPolicyOf(key, ctx.config.accountId);
  } catch (error) {
    // Fail closed: a stored policy this server cannot read (its account id changed) allows nothing.
    ctx.logger.error({ err: error, keyId: key.id, requestId: ctx.requestId }, 'stored key policy does not compile');
    throw new AccessDeniedError('the key policy is not valid on this server; an administrator must put it again');
  }
}

/** The call being decided: its context, the key, the `kms:` action, and the db its reads go through. */
interface Call {
  readonly ctx: OpContext;
  readonly key: KeyRecord;
  readonly name: string;
  readonly db: Db;
}

function decide(
  call: Call,
  policy: CompiledPolicy,
  roles: boolean,
  aliases: readonly string[],
): undefined | Promise<void> {
  const { ctx, key, name, db } = call;
  const facts = requestFacts(ctx, key, name, aliases);
  const request = {
    action: name,
    principal: ctx.caller.principal,
    accountId: ctx.config.accountId,
    keyArn: keyArn(ctx.config, key.id),
    rolesAllow: roles,
    facts,
  };
  const decision = evaluatePolicy(policy, request);
  if (decision === 'deny') throw denied(ctx, name, 'the key policy denies it');
  if (decision === 'allow') {
    admitted(ctx);
    return undefined;
  }
  return viaGrants(ctx, key, name, facts, db);
}

/** The last chance: a grant of the key that allows the call (a Deny has already been ruled out). */
function viaGrants(
  ctx: OpContext,
  key: KeyRecord,
  name: string,
  facts: RequestFacts,
  db: Db,
): undefined | Promise<void> {
  const check = (grants: readonly GrantView[]): void => {
    const operation = name.slice(4);
    const allowing = grants.filter((grant) => grantAllows(grant, operation, facts));
    if (allowing.length === 0)
      throw denied(ctx, name, "neither the key policy, the caller's roles nor a grant allow it");
    // Only grants allowed it: what they allow bounds the call (CreateGrant gives no more than they hold).
    ctx.authz.viaGrants = allowing;
    admitted(ctx);
  };
  const grants = grantsForKey(db === ctx.store.db ? ctx : inTransaction(ctx, db), key.id);
  if (!Array.isArray(grants)) return (grants as Promise<readonly GrantView[]>).then(check);
  check(grants);
  return undefined;
}

/**
 * The call's context with `tx` as its store's db: a grants source that reads `ctx.store.db` then reads through the
 * call's transaction (SQLite has one connection: a read beside an open transaction would wait for it forever).
 */
function inTransaction(ctx: OpContext, tx: Db): OpContext {
  const store = Object.create(ctx.store, { db: { value: tx } }) as OpContext['store'];
  return Object.create(ctx, { store: { value: store } }) as OpContext;
}

/**
 * Marks a key-targeted call as answered without any key: its input names none (a JWS whose header does not parse),
 * so nothing was used and nothing is revealed. The one way past KeyService's safety net; keep its uses few.
 */
export function answeredWithoutKey(ctx: OpContext): void {
  ctx.authz.withoutKey = true;
}

/** Counts the key as authorised (KeyService's safety net reads the count). */
function admitted(ctx: OpContext): void {
  ctx.authz.keysAuthorized += 1;
}

function denied(ctx: OpContext, action: string, why: string): AccessDeniedError {
  return new AccessDeniedError(`${ctx.caller.principal} may not call ${action} on this key: ${why}`);
}
