// ListKeys: every key (or a keyring's), paged with AWS's Limit / Marker / NextMarker / Truncated.
import { listKeysOperation, ValidationError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { keyArn } from '../key-ref.js';
import { pageResponse } from '../paging.js';

export const listKeys = defineOperation(listKeysOperation, { access: 'read', states: null }, async (ctx, input) => {
  if (input.referenceId !== undefined && input.applicationId === undefined)
    throw new ValidationError('referenceId needs applicationId');
  const page = await repo.keys.list(
    ctx.store.db,
    { limit: input.limit ?? 100, ...(input.marker ? { after: input.marker } : {}) },
    {
      ...(input.applicationId !== undefined ? { applicationId: input.applicationId } : {}),
      ...(input.referenceId !== undefined ? { referenceId: input.referenceId } : {}),
    },
  );
  return {
    keys: page.items.map((key) => ({ keyId: key.id, keyArn: keyArn(ctx.config, key.id) })),
    ...pageResponse(page),
  };
});
