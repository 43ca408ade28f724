// CreateToken (Custos): a bearer token of the REST API. Tokens are `cst_` + base64url(32 random bytes); only their
// SHA-256 hex is stored (a 256-bit random secret needs no slow hash: there is nothing to brute-force). Must not import api.
import {
  createTokenOperation,
  ValidationError,
  type CreateTokenRequest,
  type CreateTokenResponse,
} from '@custos/contract';
import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import type { TokenRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { defineOperation } from '../define-operation.js';

const TOKEN_PREFIX = 'cst_';
/** The exact shape of a token: anything else is refused before any lookup. */
export const TOKEN_PATTERN = /^cst_[A-Za-z0-9_-]{43}$/;

/** The SHA-256 hex of a token: what the store keeps and looks up. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex'); // one-shot: no Hash object per request
}

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
    roles: [...new Set(input.roles)],
    tokenHash: hashToken(token),
    description: input.description ?? '',
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
