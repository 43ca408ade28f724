// Development mode: creates the seed file's keys (dev/seed-file.ts) at start, with the ids it names and its material,
// or material derived from the seed (dev-mode.ts). Keys already there are left as they are, so a restart on the same
// data directory changes nothing. Audited as one SeedDevKeys record. Must not import api.
import { InternalError } from '@custos/contract';
import { publicKeyOf } from '../../core/key-material.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord, KeyVersionRecord } from '../../store/types.js';
import { defineInternalOperation } from '../define-operation.js';
import { newKeyRecord } from '../key-loading.js';
import { wrapMaterial } from '../key-versions.js';
import type { SeedKey } from './seed-file.js';

export const seedDevKeys = defineInternalOperation(
  'SeedDevKeys',
  { access: 'dev', states: null },
  async (ctx, input: { keys: readonly SeedKey[] }): Promise<{ created: string[] }> => {
    const dev = ctx.dev;
    if (!dev) throw new InternalError('seed files are for development mode only');
    const now = ctx.now();
    const rows: { key: KeyRecord; versions: KeyVersionRecord[] }[] = [];
    for (const seed of input.keys) {
      if (await repo.keys.get(ctx.store.db, seed.keyId)) continue;
      const materials =
        seed.material.length > 0 ? seed.material : [(await dev.material(seed.spec, seed.keyId, 1)).material];
      const key = newKeyRecord(now, {
        id: seed.keyId,
        spec: seed.spec.name,
        usage: seed.usage,
        state: 'Enabled',
        origin: 'AWS_KMS',
        latestVersion: materials.length,
        description: seed.description,
      });
      const versions: KeyVersionRecord[] = [];
      for (const [i, material] of materials.entries()) {
        const version = i + 1;
        const publicKey = seed.spec.family.material === 'raw' ? null : publicKeyOf(seed.spec, material);
        versions.push({
          keyId: key.id,
          version,
          wrappedMaterial: await wrapMaterial(ctx, key, version, material), // wipes the material
          publicKey,
          createdAt: now,
          rotationType: version === 1 ? null : 'ON_DEMAND',
          encryptionCount: 0,
        });
      }
      rows.push({ key, versions });
    }
    ctx.audit.details = { created: rows.map((r) => r.key.id), listed: input.keys.length };
    await ctx.transaction(async (tx) => {
      for (const { key, versions } of rows) {
        await repo.keys.insert(tx, key);
        for (const v of versions) await repo.keyVersions.insert(tx, v);
      }
    });
    return { created: rows.map((r) => r.key.id) };
  },
);
