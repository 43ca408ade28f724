// CreateToken (Custos): a bearer token of the REST API. Tokens are `cst_` + base64url(32 random bytes); only a keyed
// hash of their SHA-256 is stored (integrity/keys.ts: a 256-bit random secret needs no slow hash, and without the
// root of trust nobody can make a row a token will match). Must not import api.
import {
  createTokenOperation,
  ValidationError,
  type CreateTokenRequest,
  type CreateTokenResponse,
} from '@custos/contract';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import type { TokenRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { TokenHasher } from '../integrity/keys.js';

const TOKEN_PREFIX = 'cst_';
/** The exact shape of a token: anything else is refused before any lookup. */
export const TOKEN_PATTERN = /^cst_[A-Za-z0-9_-]{43}$/;

function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export async function insertToken(ctx: OpContext, tx: Db, input: CreateTokenRequest): Promise<CreateTokenResponse> {
  const now = ctx.now();
  if (input.expiresAt && input.expiresAt <= now) throw new ValidationError('expiresAt must be in the future');
  const id = randomUUID();
  const token = newToken();
  const record: TokenRecord = {
    id,
    principal: input.principal ?? `token:${id}`,
    roles: [...new Set(input.roles ?? [])],
    tokenHash: ctx.tokenHasher.stored(TokenHasher.digest(token)),
    description: input.description ?? '',
    tags: input.tags ?? null,
    createdAt: now,
    expiresAt: input.expiresAt ?? null,
    revokedAt: null,
    lastUsedAt: null,
  };
  await repo.tokens.insert(tx, record);
  return {
    tokenId: id,
    token,
    principal: record.principal,
    roles: [...record.roles],
    ...(record.tags ? { tags: { ...record.tags } } : {}),
    createdAt: now,
    ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}),
  };
}

/** The audit record's details for a token: set inside its transaction, whose audit record then names it. */
export function auditToken(ctx: OpContext, created: CreateTokenResponse): CreateTokenResponse {
  ctx.audit.details = { tokenId: created.tokenId, principal: created.principal, roles: [...created.roles] };
  return created;
}

export const createToken = defineOperation(
  createTokenOperation,
  { access: 'tokens', states: null },
  async (ctx, input) => {
    return ctx.transaction(async (tx) => auditToken(ctx, await insertToken(ctx, tx, input)));
  },
);
