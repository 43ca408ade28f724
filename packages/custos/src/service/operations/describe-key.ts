// DescribeKey: a key's metadata, in any state.
import type { DescribeKeyRequest, DescribeKeyResponse } from '@custos/contract';
import type { OpContext } from '../context.js';
import { keyMetadata, loadKey } from '../keys.js';
import { refuseUnsupported } from '../rules.js';

export async function describeKey(ctx: OpContext, input: DescribeKeyRequest): Promise<DescribeKeyResponse> {
  refuseUnsupported(input, ['grantTokens']);
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'DescribeKey');
  return { keyMetadata: keyMetadata(ctx, key) };
}
