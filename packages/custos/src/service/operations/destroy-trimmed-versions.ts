// DestroyTrimmedVersions (internal, a background job): the end of a trim's pending window (TrimKeyVersions), the
// material of the versions below the key's trim floor gone for good; the version rows stay (public data, history).
// Must not import api.
import * as repo from '../../store/repositories/index.js';
import { defineInternalOperation } from '../define-operation.js';
import { destroyHsmObject, isHsmKey } from '../hsm/keys.js';
import { ANY } from '../lifecycle.js';
import { loadLocked, type JobKeyInput } from './destroy-key.js';

export const destroyTrimmedVersions = defineInternalOperation(
  'DestroyTrimmedVersions',
  { access: 'manage', states: ANY },
  async (ctx, input: JobKeyInput): Promise<{ destroyed: number[] }> =>
    ctx.transaction(async (tx) => {
      const key = await loadLocked(ctx, tx, input.keyId);
      if (key.trimDate === null || key.trimDate > ctx.now()) return { destroyed: [] };
      // HSM-protected: the token objects go first (idempotent), as DestroyKey does.
      if (isHsmKey(key))
        for (const version of await repo.keyVersions.list(tx, key.id))
          if (version.version < key.trimFloor) await destroyHsmObject(ctx, version, tx);
      const destroyed = await repo.keyVersions.destroyMaterialBelow(tx, key.id, key.trimFloor);
      await repo.keys.update(tx, key.id, { trimDate: null, updatedAt: ctx.now() });
      ctx.audit.details = { trimmedBelowVersion: key.trimFloor, destroyedVersions: destroyed };
      return { destroyed };
    }),
);
