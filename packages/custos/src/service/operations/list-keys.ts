// ListKeys: every key, paged with AWS's Limit / Marker / NextMarker / Truncated.
import type { ListKeysRequest, ListKeysResponse } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { keyArn } from '../key-ref.js';
import { pageResponse } from './paging.js';

export async function listKeys(ctx: OpContext, input: ListKeysRequest): Promise<ListKeysResponse> {
  const page = await repo.keys.list(ctx.store.db, {
    limit: input.limit ?? 100,
    ...(input.marker ? { after: input.marker } : {}),
  });
  return {
    keys: page.items.map((key) => ({ keyId: key.id, keyArn: keyArn(ctx.config, key.id) })),
    ...pageResponse(page),
  };
}
