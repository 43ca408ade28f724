// CreateAccessKey, ListAccessKeys, RevokeAccessKey (Custos) and the lookup the AWS protocol's SigV4 check needs.
// SigV4 recomputes signatures from the secret itself, so the secret is stored wrapped by the root of trust (with
// additional data binding the access key id), not hashed: a database copy alone does not reveal it. Must not import api.
import { randomBytes } from 'node:crypto';
import {
  AuthenticationError,
  NotFoundError,
  type Caller,
  type CreateAccessKeyRequest,
  type CreateAccessKeyResponse,
  type ListAccessKeysRequest,
  type ListAccessKeysResponse,
  type RevokeAccessKeyRequest,
  type RevokeAccessKeyResponse,
} from '@custos/contract';
import { SecretBytes } from '../../core/secret-bytes.js';
import * as repo from '../../store/repositories/index.js';
import type { AccessKeyRecord } from '../../store/types.js';
import type { OpContext, ServiceContext } from '../context.js';
import { pageResponse } from './paging.js';

/** Every Custos access key id starts so (AWS ids are `AKIA` + 16 base32 characters; secret scanners know the shape). */
export const ACCESS_KEY_PREFIX = 'AKIACUSTOS';
/** The exact shape of an access key id: anything else is refused before any lookup. */
export const ACCESS_KEY_ID_PATTERN = /^AKIACUSTOS[A-Z2-7]{10}$/;
/** `lastUsedAt` is written at most this often per access key, to keep authentication off the write path. */
const TOUCH_INTERVAL_MS = 60_000;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `AKIACUSTOS` + 10 random base32 characters (50 bits: an identifier, not a secret). */
function newAccessKeyId(): string {
  const bytes = randomBytes(10);
  let id = ACCESS_KEY_PREFIX;
  for (const byte of bytes) id += BASE32[byte & 31];
  return id;
}

/** 40 characters of base64 (240 random bits), the length and alphabet of an AWS secret access key. */
function newSecret(): string {
  return randomBytes(30).toString('base64');
}

/** Additional data of the wrapped secret: a wrapped secret copied to another id's row does not unwrap. */
function secretAad(accessKeyId: string): Uint8Array {
  return new TextEncoder().encode(`custos:access-key:v1:${accessKeyId}`);
}

export async function createAccessKey(ctx: OpContext, input: CreateAccessKeyRequest): Promise<CreateAccessKeyResponse> {
  const id = newAccessKeyId();
  const secret = newSecret();
  const material = SecretBytes.from(new TextEncoder().encode(secret));
  let wrappedSecret: Uint8Array;
  try {
    wrappedSecret = await ctx.rootOfTrust.wrap(material, secretAad(id));
  } finally {
    material.wipe();
  }
  const now = ctx.now();
  const record: AccessKeyRecord = {
    id,
    principal: input.principal ?? `access-key:${id}`,
    roles: [...new Set(input.roles)],
    wrappedSecret,
    description: input.description ?? '',
    createdAt: now,
    revokedAt: null,
    lastUsedAt: null,
  };
  await ctx.store.transaction((tx) => repo.accessKeys.insert(tx, record));
  ctx.audit.details = { accessKeyId: id, principal: record.principal, roles: record.roles };
  return {
    accessKeyId: id,
    secretAccessKey: secret,
    principal: record.principal,
    roles: [...record.roles],
    createdAt: now,
  };
}

export async function listAccessKeys(ctx: OpContext, input: ListAccessKeysRequest): Promise<ListAccessKeysResponse> {
  const page = await repo.accessKeys.list(ctx.store.db, {
    limit: input.limit ?? 100,
    ...(input.marker ? { after: input.marker } : {}),
  });
  return {
    accessKeys: page.items.map((k) => ({
      accessKeyId: k.id,
      principal: k.principal,
      roles: [...k.roles],
      description: k.description,
      createdAt: k.createdAt,
      ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}),
      ...(k.lastUsedAt ? { lastUsedAt: k.lastUsedAt } : {}),
    })),
    ...pageResponse(page),
  };
}

/** Revoking a revoked access key is a no-op; an unknown id is NOT_FOUND. */
export async function revokeAccessKey(ctx: OpContext, input: RevokeAccessKeyRequest): Promise<RevokeAccessKeyResponse> {
  ctx.audit.details = { accessKeyId: input.accessKeyId };
  await ctx.store.transaction(async (tx) => {
    const key = await repo.accessKeys.get(tx, input.accessKeyId);
    if (!key) throw new NotFoundError(`access key not found: ${input.accessKeyId}`);
    await repo.accessKeys.revoke(tx, key.id, ctx.now());
  });
  return {};
}

/** What a SigV4 check needs: who the access key stands for, and its secret (wipe it after use). */
export interface AuthenticatedAccessKey {
  readonly caller: Caller;
  readonly secretAccessKey: SecretBytes;
  /**
   * Records a successful use (`lastUsedAt`, written at most once a minute). Call it once the signature has
   * verified, so that a request with a known id and a wrong signature does not count as a use. Never throws.
   */
  recordUse(): Promise<void>;
}

/**
 * The caller and secret of an access key; UNAUTHENTICATED (one message) when the id is malformed, unknown or
 * revoked. Read from the store on every call, so a revoke takes effect at once on every node.
 */
export async function authenticateAccessKey(
  context: ServiceContext,
  accessKeyId: string,
): Promise<AuthenticatedAccessKey> {
  if (typeof accessKeyId !== 'string' || !ACCESS_KEY_ID_PATTERN.test(accessKeyId)) throw new AuthenticationError();
  const record = await repo.accessKeys.get(context.store.db, accessKeyId);
  if (!record || record.revokedAt) throw new AuthenticationError();
  const secretAccessKey = await context.rootOfTrust.unwrap(record.wrappedSecret, secretAad(record.id));
  return {
    caller: { principal: record.principal, roles: record.roles },
    secretAccessKey,
    async recordUse() {
      const now = context.now();
      if (record.lastUsedAt && now.getTime() - record.lastUsedAt.getTime() < TOUCH_INTERVAL_MS) return;
      await repo.accessKeys
        .touch(context.store.db, record.id, now)
        .catch((err: unknown) => context.logger.error({ err, accessKeyId }, 'recording access key use failed'));
    },
  };
}
