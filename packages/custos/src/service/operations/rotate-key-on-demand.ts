// RotateKeyOnDemand: adds a new key version now.
// Must not import api.
import { rotateKeyOnDemandOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { auditedRotation, rotateKey } from '../rotation.js';

export const rotateKeyOnDemand = defineOperation(
  rotateKeyOnDemandOperation,
  { access: 'manage', states: USABLE },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    await rotateKey(ctx, key.id, 'ON_DEMAND', undefined, auditedRotation(ctx));
    return { keyId: keyArn(ctx.config, key.id) };
  },
);
