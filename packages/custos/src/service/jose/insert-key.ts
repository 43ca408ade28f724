// Storing a key the jwk facade made or imported: one key row and its first version, with the material wrapped by
// the root of trust, in one transaction. Must not import api.
import { randomUUID } from 'node:crypto';
import type { Jwk, Tag } from '@custos/contract';
import type { JoseKeyChoice } from '../../core/jose/algorithms.js';
import type { GeneratedKey } from '../../core/key-material.js';
import { materialCheckValue } from '../../core/material-check.js';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { newKeyRecord } from '../key-loading.js';
import { wrapMaterial } from '../key-versions.js';
import { checkTags } from '../rules.js';
import { publicJwkOf } from './jwk-of.js';
import { requirePublicKey } from '../require-public-key.js';

/** What the caller chose besides the algorithm. */
export interface JwkKeyFields {
  readonly description?: string;
  readonly tags?: readonly Tag[];
  readonly exportable?: boolean;
  readonly publishJwk?: boolean;
}

/**
 * Inserts an Enabled key allowing only `choice.algorithm`, so its JWK names exactly `choice.alg`; wipes the material.
 * @example const { kid, jwk } = await insertJwkKey(ctx, joseKeyChoice('ES256'), await generateKeyMaterial(spec), 'AWS_KMS', input);
 */
export async function insertJwkKey(
  ctx: OpContext,
  choice: JoseKeyChoice,
  generated: GeneratedKey,
  origin: 'AWS_KMS' | 'EXTERNAL',
  fields: JwkKeyFields,
): Promise<{ kid: string; jwk: Jwk }> {
  checkTags(fields.tags);
  const now = ctx.now();
  const id = randomUUID();
  const publicKey = requirePublicKey(generated.publicKey, `a new ${choice.spec.name} key`);
  const key = newKeyRecord(now, {
    id,
    spec: choice.spec.name,
    usage: choice.usage,
    state: 'Enabled',
    origin,
    latestVersion: 1,
    description: fields.description ?? '',
    exportable: fields.exportable ?? false,
    publishJwk: fields.publishJwk ?? false,
    allowedAlgorithms: [choice.algorithm],
  });
  // Imported material gets a check value, as ImportKeyMaterial gives it (re-import must bring the same key).
  const check = origin === 'EXTERNAL' ? materialCheckValue(generated.material) : null;
  const wrapped = await wrapMaterial(ctx, key, 1, generated.material);
  ctx.audit.keyId = id;
  ctx.audit.keyVersion = 1;
  ctx.audit.details = { alg: choice.alg, keySpec: choice.spec.name, keyUsage: choice.usage, origin };
  await ctx.transaction(async (tx) => {
    await repo.keys.insert(tx, key);
    await repo.keyVersions.insert(tx, {
      keyId: id,
      version: 1,
      wrappedMaterial: wrapped,
      publicKey,
      createdAt: now,
      rotationType: null,
      encryptionCount: 0,
      ...(check !== null ? { materialCheck: check } : {}),
    });
    if (fields.tags?.length) await repo.tags.put(tx, id, fields.tags);
  });
  return { kid: id, jwk: await publicJwkOf(ctx, key, publicKey) };
}
