// TagResource, UntagResource, ListResourceTags.
import {
  LimitExceededError,
  ValidationError,
  type ListResourceTagsRequest,
  type ListResourceTagsResponse,
  type TagResourceRequest,
  type TagResourceResponse,
  type UntagResourceRequest,
  type UntagResourceResponse,
} from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { loadKey } from '../keys.js';
import { MAX_TAGS_PER_KEY, checkTags } from '../rules.js';

export async function tagResource(ctx: OpContext, input: TagResourceRequest): Promise<TagResourceResponse> {
  checkTags(input.tags);
  await ctx.store.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, input.keyId, 'TagResource');
    await repo.tags.put(tx, key.id, input.tags);
    // Checked after the upsert, inside the transaction: the throw rolls the upsert back.
    if ((await repo.tags.count(tx, key.id)) > MAX_TAGS_PER_KEY)
      throw new LimitExceededError(`a key can have at most ${MAX_TAGS_PER_KEY} tags`);
  });
  return {};
}

export async function untagResource(ctx: OpContext, input: UntagResourceRequest): Promise<UntagResourceResponse> {
  await ctx.store.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, input.keyId, 'UntagResource');
    await repo.tags.remove(tx, key.id, input.tagKeys);
  });
  return {};
}

/** Tags are few (at most 50), so the marker is simply the index of the next tag. */
export async function listResourceTags(
  ctx: OpContext,
  input: ListResourceTagsRequest,
): Promise<ListResourceTagsResponse> {
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'ListResourceTags');
  const all = await repo.tags.list(ctx.store.db, key.id);
  const start = input.marker ? parseTagMarker(input.marker, all.length) : 0;
  const limit = input.limit ?? 50;
  const items = all.slice(start, start + limit);
  const next = start + limit < all.length ? String(start + limit) : null;
  return {
    tags: items.map((t) => ({ tagKey: t.tagKey, tagValue: t.tagValue })),
    ...(next ? { truncated: true, nextMarker: next } : { truncated: false }),
  };
}

function parseTagMarker(marker: string, total: number): number {
  const index = /^\d+$/.test(marker) ? Number(marker) : NaN;
  if (!Number.isSafeInteger(index) || index > total) throw new ValidationError('invalid marker', 'INVALID_MARKER');
  return index;
}
