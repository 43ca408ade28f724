// ListKeys: every key (or a keyring's), paged with AWS's Limit / Marker / NextMarker / Truncated; Custos filters by
// state, spec, usage, tag, alias prefix or key id, sorts by creation or key id, and with includeMetadata returns each
// key's metadata, aliases and last rotation in the same call (store/repositories/key-listing.ts).
import { listKeysOperation, ValidationError, type KeyListEntry, type ListKeysRequest } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { KeyListing } from '../../store/repositories/key-listing.js';
import type { KeyRecord } from '../../store/types.js';
import type { ServiceContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { keyArn } from '../key-ref.js';
import { keyMetadata } from '../key-metadata.js';
import { pageResponse } from '../paging.js';

export const listKeys = defineOperation(listKeysOperation, { access: 'read', states: null }, async (ctx, input) => {
  const page = await repo.keyListing.listKeys(ctx.store.db, listingOf(input));
  const keys = page.items.map((key): KeyListEntry => ({ keyId: key.id, keyArn: keyArn(ctx.config, key.id) }));
  return {
    keys: input.includeMetadata === true ? await withMetadata(ctx, page.items, keys) : keys,
    ...pageResponse(page),
  };
});

/** The request as the store's listing; combinations that make no sense → VALIDATION_ERROR. */
function listingOf(input: ListKeysRequest): KeyListing {
  if (input.referenceId !== undefined && input.applicationId === undefined)
    throw new ValidationError('referenceId needs applicationId');
  if (input.withTagValue !== undefined && input.withTagKey === undefined)
    throw new ValidationError('withTagValue needs withTagKey');
  const search = input.search;
  return {
    limit: input.limit ?? 100,
    after: input.marker,
    applicationId: input.applicationId,
    referenceId: input.referenceId,
    states: input.keyStates,
    specs: input.keySpecs,
    usages: input.keyUsages,
    tagKey: input.withTagKey,
    tagValue: input.withTagValue,
    // `search` is an alias prefix (with or without `alias/`) or, when it could be one, a key id.
    aliasPrefix: search === undefined ? undefined : search.startsWith('alias/') ? search : `alias/${search}`,
    keyId: search !== undefined && !search.includes('/') ? search : undefined,
    sortBy: input.sortBy ?? 'created',
    descending: input.sortOrder === 'desc',
  };
}

async function withMetadata(
  ctx: ServiceContext,
  records: readonly KeyRecord[],
  entries: KeyListEntry[],
): Promise<KeyListEntry[]> {
  const { aliases, latest } = await repo.keyListing.listingDetails(ctx.store.db, records);
  return records.map((record, i) => {
    const entry = entries[i] ?? { keyId: record.id, keyArn: keyArn(ctx.config, record.id) };
    const version = latest.get(record.id);
    return {
      ...entry,
      metadata: keyMetadata(ctx, record),
      aliasNames: aliases.get(record.id) ?? [],
      ...(version && version.rotationType !== null ? { lastRotationDate: version.createdAt } : {}),
    };
  });
}
