// ListResourceTags: the tags of a key, paged.
// Must not import api.
import { listResourceTagsOperation, ValidationError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { ANY } from '../lifecycle.js';

/** Tags are few (at most 50), so the marker is simply the index of the next tag. */
export const listResourceTags = defineOperation(
  listResourceTagsOperation,
  { access: 'read', states: ANY },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const all = await repo.tags.list(ctx.store.db, key.id);
    const start = input.marker ? parseTagMarker(input.marker, all.length) : 0;
    const limit = input.limit ?? 50;
    const items = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : null;
    return {
      tags: items.map((t) => ({ tagKey: t.tagKey, tagValue: t.tagValue })),
      ...(next ? { truncated: true, nextMarker: next } : { truncated: false }),
    };
  },
);

function parseTagMarker(marker: string, total: number): number {
  const index = /^\d+$/.test(marker) ? Number(marker) : NaN;
  if (!Number.isSafeInteger(index) || index > total) throw new ValidationError('invalid marker', 'INVALID_MARKER');
  return index;
}
