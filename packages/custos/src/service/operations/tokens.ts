// CreateToken, ListTokens, RevokeToken (Custos): bearer tokens of the REST API, and the first-start admin token.
// Tokens are `cst_` + base64url(32 random bytes); only their SHA-256 hex is stored (a 256-bit random secret needs
// no slow hash: there is nothing to brute-force). Must not import api.
import { hash, randomBytes, randomUUID } from 'node:crypto';
import {
  NotFoundError,
  ValidationError,
  type CreateTokenRequest,
  type CreateTokenResponse,
  type ListTokensRequest,
  type ListTokensResponse,
  type RevokeTokenRequest,
  type RevokeTokenResponse,
} from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { lockInTransaction, type Db } from '../../store/index.js';
import type { TokenRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { pageResponse } from './paging.js';

export const TOKEN_PREFIX = 'cst_';
/** The exact shape of a token: anything else is refused before any lookup. */
export const TOKEN_PATTERN = /^cst_[A-Za-z0-9_-]{43}$/;

/** The SHA-256 hex of a token: what the store keeps and looks up. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex'); // one-shot: no Hash object per request
}

function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

async function insertToken(ctx: OpContext, tx: Db, input: CreateTokenRequest): Promise<CreateTokenResponse> {
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

/** The audit record's details for a token: set once its transaction has committed (a rolled-back id would mislead). */
function auditToken(ctx: OpContext, created: CreateTokenResponse): CreateTokenResponse {
  ctx.audit.details = { tokenId: created.tokenId, principal: created.principal, roles: [...created.roles] };
  return created;
}

export async function createToken(ctx: OpContext, input: CreateTokenRequest): Promise<CreateTokenResponse> {
  return auditToken(ctx, await ctx.store.transaction((tx) => insertToken(ctx, tx, input)));
}

export async function listTokens(ctx: OpContext, input: ListTokensRequest): Promise<ListTokensResponse> {
  const page = await repo.tokens.list(ctx.store.db, {
    limit: input.limit ?? 100,
    ...(input.marker ? { after: input.marker } : {}),
  });
  return {
    tokens: page.items.map((t) => ({
      tokenId: t.id,
      principal: t.principal,
      roles: [...t.roles],
      description: t.description,
      createdAt: t.createdAt,
      ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}),
      ...(t.revokedAt ? { revokedAt: t.revokedAt } : {}),
      ...(t.lastUsedAt ? { lastUsedAt: t.lastUsedAt } : {}),
    })),
    ...pageResponse(page),
  };
}

/** Revoking a revoked token is a no-op; an unknown id is NOT_FOUND. */
export async function revokeToken(ctx: OpContext, input: RevokeTokenRequest): Promise<RevokeTokenResponse> {
  await ctx.store.transaction(async (tx) => {
    const token = await repo.tokens.get(tx, input.tokenId);
    if (!token) throw new NotFoundError(`token not found: ${input.tokenId}`);
    await repo.tokens.revoke(tx, token.id, ctx.now());
  });
  ctx.audit.details = { tokenId: input.tokenId };
  return {};
}

/** Input of the internal BootstrapToken operation (not on the Kms interface; called by the server at start). */
export interface BootstrapTokenInput {
  /** Stores the new token (the server writes `<dataDir>/admin.token`); if it throws, the token is not created. */
  readonly persist: (created: CreateTokenResponse) => Promise<void>;
}

/**
 * On a store with no token at all, creates an admin token (principal `admin`) and hands it to `persist` inside
 * the same transaction, so a token exists in the store only if it was also saved. Returns undefined otherwise.
 */
export async function bootstrapToken(
  ctx: OpContext,
  input: BootstrapTokenInput,
): Promise<CreateTokenResponse | undefined> {
  const created = await ctx.store.transaction(async (tx) => {
    // Nodes starting together on one PostgreSQL database: one creates the token, the others then see it.
    await lockInTransaction(tx, 'bootstrap-token');
    if ((await repo.tokens.count(tx)) > 0) return undefined;
    const created = await insertToken(ctx, tx, {
      roles: ['admin'],
      principal: 'admin',
      description: 'created at first start',
    });
    await input.persist(created);
    return created;
  });
  return created && auditToken(ctx, created);
}
