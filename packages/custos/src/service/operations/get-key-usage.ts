// GetKeyUsage: per version and operation, how often a key was used and when last (usage telemetry, issue 19).
// Must not import api.
import { getKeyUsageOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { ANY } from '../lifecycle.js';
import { keyUsage } from '../usage/key-usage.js';

export const getKeyUsage = defineOperation(
  getKeyUsageOperation,
  { access: 'read', states: ANY },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const rows = await keyUsage(ctx, ctx.store.db, key.id);
    const last = rows.reduce<Date | undefined>(
      (a, r) => (a === undefined || r.lastUsedAt > a ? r.lastUsedAt : a),
      undefined,
    );
    return {
      keyId: keyArn(ctx.config, key.id),
      ...(last ? { lastUsedAt: last } : {}),
      usage: rows.map((r) => ({
        keyVersion: r.version,
        operation: r.operation,
        count: r.count,
        lastUsedAt: r.lastUsedAt,
      })),
    };
  },
);
