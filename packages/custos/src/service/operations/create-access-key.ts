// CreateAccessKey (Custos): an access key pair for the AWS KMS protocol (SigV4). SigV4 recomputes signatures from the
// secret itself, so the secret is stored wrapped by the root of trust (bound to the id), not hashed. Must not import api.
import { createAccessKeyOperation } from '@custos/contract';
import { randomBytes } from 'node:crypto';
import { SecretBytes } from '../../core/secret-bytes.js';
import * as repo from '../../store/repositories/index.js';
import type { AccessKeyRecord } from '../../store/types.js';
import { defineOperation } from '../define-operation.js';

/** Every Custos access key id starts so (AWS ids are `AKIA` + 16 base32 characters; secret scanners know the shape). */
const ACCESS_KEY_PREFIX = 'AKIACUSTOS';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `AKIACUSTOS` + 10 random base32 characters (50 bits: an identifier, not a secret). */
function newAccessKeyId(): string {
  const bytes = randomBytes(10);
  let id = ACCESS_KEY_PREFIX;
  for (const byte of bytes) id += BASE32.charAt(byte & 31);
  return id;
}

/** 40 characters of base64 (240 random bits), the length and alphabet of an AWS secret access key. */
function newSecret(): string {
  return randomBytes(30).toString('base64');
}

/** Additional data of the wrapped secret: a wrapped secret copied to another id's row does not unwrap. */
export function secretAad(accessKeyId: string): Uint8Array {
  return new TextEncoder().encode(`custos:access-key:v1:${accessKeyId}`);
}

export const createAccessKey = defineOperation(
  createAccessKeyOperation,
  { access: 'tokens', states: null },
  async (ctx, input) => {
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
      roles: [...new Set(input.roles ?? [])],
      wrappedSecret,
      description: input.description ?? '',
      tags: input.tags ?? null,
      createdAt: now,
      revokedAt: null,
      lastUsedAt: null,
    };
    ctx.audit.details = { accessKeyId: id, principal: record.principal, roles: record.roles };
    await ctx.transaction((tx) => repo.accessKeys.insert(tx, record));
    return {
      accessKeyId: id,
      secretAccessKey: secret,
      principal: record.principal,
      roles: [...record.roles],
      ...(record.tags ? { tags: { ...record.tags } } : {}),
      createdAt: now,
    };
  },
);
