// Batch: up to 1,000 cryptographic calls in one request. Each item is authorised, validated, run and audited as its
// own operation (service/batch.ts); KeyService commits the items' records with the batch's own, together.
import { Type } from '@sinclair/typebox';
import { BATCH_OPERATIONS, MAX_BATCH_ITEMS, batchOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { answeredWithoutKey } from '../authz/authorize-key.js';
import { USABLE } from '../lifecycle.js';

/**
 * What the batch itself checks: 1 to 1,000 items, each naming exactly one operation it may run. Each item's request
 * is checked by its own operation, so a malformed item fails alone (VALIDATION_ERROR in its result).
 */
const BatchEnvelope = Type.Object(
  {
    items: Type.Array(
      Type.Object(Object.fromEntries(BATCH_OPERATIONS.map((op) => [op, Type.Optional(Type.Object({}))])), {
        additionalProperties: false,
        minProperties: 1,
        maxProperties: 1,
      }),
      { minItems: 1, maxItems: MAX_BATCH_ITEMS },
    ),
  },
  { additionalProperties: false },
);

// Key-targeted (states) so that no role is required up front: each item is authorised on its own key as a single
// call would be (key policy, roles, grants), so a principal a key policy lets encrypt may batch its encryptions.
export const batch = defineOperation(
  batchOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    answeredWithoutKey(ctx); // the batch names no key of its own: its items authorised theirs
    return { results: await ctx.runBatch(ctx, input.items) };
  },
  { validate: BatchEnvelope },
);
