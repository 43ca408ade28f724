// Where key authorization learns a key's grants (issue 16): the grants helper fills in the source; authorize-key.ts
// only asks it, and only when neither the key policy nor the caller's roles allow the call. Must not import api.
import type { OpContext } from '../context.js';

/** One grant as the evaluator sees it: who may do which AWS operations on the key, under which constraints. */
export interface GrantView {
  readonly grantId: string;
  /** The grantee as an ARN (`arn:aws:iam::<account>:user/<principal>`, see authz/principals.ts). */
  readonly granteePrincipal: string;
  readonly retiringPrincipal: string | null;
  /** AWS operation names, e.g. `Encrypt`. */
  readonly operations: readonly string[];
  readonly constraints: {
    readonly encryptionContextEquals?: Record<string, string>;
    readonly encryptionContextSubset?: Record<string, string>;
  } | null;
}

/**
 * The live grants of `keyId` (a key id, never an alias). No promise when they are cached: this can be the hot path.
 * @example const grants = await grantsForKey(ctx, key.id);
 */
export function grantsForKey(_ctx: OpContext, _keyId: string): readonly GrantView[] | Promise<readonly GrantView[]> {
  return [];
}
