// GetParametersForImport: a wrapping key pair and an import token (AWS's bring-your-own-key flow); the pair lives
// with its token, its private half wrapped by the root of trust. Must not import api.
import { getParametersForImportOperation, UnsupportedError, ValidationError } from '@custos/contract';
import { randomUUID } from 'node:crypto';
import { keySpec } from '../../core/key-specs.js';
import { generateKeyMaterial } from '../../core/key-material.js';
import { bytesToUuid, UUID_BYTES, writeUuid } from '../../core/uuid.js';
import * as repo from '../../store/repositories/index.js';
import type { ImportTokenRecord, KeyRecord } from '../../store/types.js';
import type { SecretBytes } from '../../core/secret-bytes.js';
import type { ServiceContext } from '../context.js';
import { unwrapCurrent } from '../root/unwrap-current.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { S } from '../lifecycle.js';
import { requirePublicKey } from '../require-public-key.js';

const TOKEN_FORMAT = 0x01;

export function tokenAad(tokenId: string, keyId: string): Uint8Array {
  return new TextEncoder().encode(`custos/import-token/v1\n${tokenId}\n${keyId}`);
}

/**
 * The import token's private wrapping key. Should a root rotation have re-wrapped the token's row after `token` was
 * read, its row is read again and unwrapped as it is now (unwrapCurrent).
 */
export function unwrapTokenKey(ctx: ServiceContext, token: ImportTokenRecord): Promise<SecretBytes> {
  return unwrapCurrent(
    ctx.rootOfTrust,
    token.wrappedPrivateKey,
    tokenAad(token.id, token.keyId),
    async () => (await repo.importTokens.get(ctx.store.db, token.id))?.wrappedPrivateKey,
  );
}

export function assertExternal(key: KeyRecord): void {
  if (key.origin !== 'EXTERNAL')
    throw new UnsupportedError('only keys created with origin EXTERNAL take imported key material');
}

/** The import token: a format byte and the token id (the wrapping key stays in the store). */
function encodeToken(id: string): Uint8Array {
  const token = new Uint8Array(1 + UUID_BYTES);
  token[0] = TOKEN_FORMAT;
  writeUuid(token, 1, id);
  return token;
}

export function decodeToken(token: Uint8Array): string {
  if (token.length !== 1 + UUID_BYTES || token[0] !== TOKEN_FORMAT)
    throw new ValidationError('the import token is not valid', 'INVALID_IMPORT_TOKEN');
  return bytesToUuid(token.subarray(1));
}

export const getParametersForImport = defineOperation(
  getParametersForImportOperation,
  { access: 'manage', states: S('PendingImport', 'Enabled', 'Disabled') },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    assertExternal(key);
    const pair = await generateKeyMaterial(keySpec(input.wrappingKeySpec));
    const id = randomUUID();
    const now = ctx.now();
    const expiresAt = new Date(now.getTime() + ctx.config.importTokenTtlMs);
    const wrappedPrivateKey = await ctx.rootOfTrust.wrap(pair.material, tokenAad(id, key.id)).finally(() => {
      pair.material.wipe();
    });
    const publicKey = requirePublicKey(pair.publicKey, `a generated ${input.wrappingKeySpec} pair`);
    ctx.audit.details = { wrappingAlgorithm: input.wrappingAlgorithm, wrappingKeySpec: input.wrappingKeySpec };
    await ctx.transaction((tx) =>
      repo.importTokens.insert(tx, {
        id,
        keyId: key.id,
        wrappingKeySpec: input.wrappingKeySpec,
        wrappingAlgorithm: input.wrappingAlgorithm,
        wrappedPrivateKey,
        publicKey,
        createdAt: now,
        expiresAt,
      }),
    );
    return {
      keyId: keyArn(ctx.config, key.id),
      importToken: encodeToken(id),
      publicKey,
      parametersValidTo: expiresAt,
    };
  },
);
