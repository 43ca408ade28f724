// GetKeyRotationStatus: whether automatic rotation is on, and when the next rotation is.
// Must not import api.
import { getKeyRotationStatusOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { ANY } from '../lifecycle.js';

export const getKeyRotationStatus = defineOperation(
  getKeyRotationStatusOperation,
  { access: 'read', states: ANY },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    return {
      keyId: keyArn(ctx.config, key.id),
      keyRotationEnabled: key.rotationEnabled,
      ...(key.rotationPeriodDays !== null ? { rotationPeriodInDays: key.rotationPeriodDays } : {}),
      ...(key.nextRotationAt ? { nextRotationDate: key.nextRotationAt } : {}),
    };
  },
);
