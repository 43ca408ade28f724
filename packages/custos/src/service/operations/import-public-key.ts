// ImportPublicKey (Custos): a public key alone becomes a key (origin EXTERNAL, publicKeyOnly): a version with the
// public key and no wrapped material. Verify and Encrypt work; anything needing a private key is refused
// (service/public-key-only.ts). Must not import api.
import { randomUUID } from 'node:crypto';
import { importPublicKeyOperation, ValidationError, type KeyUsage } from '@custos/contract';
import { importPublicKeyBytes } from '../../core/public-key-import.js';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { newKeyRecord } from '../key-loading.js';
import { keyMetadata } from '../key-metadata.js';
import { checkTags } from '../rules.js';

/**
 * The usages a public key alone can serve. KEY_AGREEMENT is refused: DeriveSharedSecret needs the key's own private
 * half (a peer's public key is passed to it directly, not stored).
 */
const PUBLIC_KEY_USAGES: readonly KeyUsage[] = ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'];

export const importPublicKey = defineOperation(
  importPublicKeyOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    checkTags(input.tags);
    const { spec, spki } = importPublicKeyBytes(input.publicKey);
    if (input.keySpec !== undefined && input.keySpec !== spec.name)
      throw new ValidationError(`the public key is a ${spec.name} key, not ${input.keySpec}`, 'INVALID_PUBLIC_KEY');
    if (!PUBLIC_KEY_USAGES.includes(input.keyUsage) || !spec.usages.includes(input.keyUsage))
      throw new ValidationError(
        `a public ${spec.name} key cannot have usage ${input.keyUsage} (${spec.usages.filter((u) => PUBLIC_KEY_USAGES.includes(u)).join(' or ') || 'none'})`,
        'INVALID_KEY_USAGE',
      );
    const now = ctx.now();
    const key = newKeyRecord(now, {
      id: randomUUID(),
      spec: spec.name,
      usage: input.keyUsage,
      state: 'Enabled',
      origin: 'EXTERNAL',
      latestVersion: 1,
      description: input.description ?? '',
      publishJwk: input.publishJwk ?? false,
      publicKeyOnly: true,
    });
    ctx.audit.keyId = key.id;
    ctx.audit.keyVersion = 1;
    ctx.audit.details = { keySpec: spec.name, keyUsage: input.keyUsage, publicKeyOnly: true };
    await ctx.transaction(async (tx) => {
      await repo.keys.insert(tx, key);
      await repo.keyVersions.insert(tx, {
        keyId: key.id,
        version: 1,
        wrappedMaterial: null,
        publicKey: spki,
        createdAt: now,
        rotationType: null,
        encryptionCount: 0,
      });
      if (input.tags?.length) await repo.tags.put(tx, key.id, input.tags);
    });
    return { keyMetadata: keyMetadata(ctx, key) };
  },
);
