// Signing for the JOSE operations: the key's JOSE algorithm, the usage and constraint checks Sign makes, the
// signature made in Custos and turned into JOSE form (raw r‖s for ES*). Must not import api.
import { ValidationError } from '@custos/contract';
import { sign as signMessage } from '../../core/algorithms/signature.js';
import { joseSigning, toJoseSignature } from '../../core/jose/algorithms.js';
import { jwkAlg } from '../../core/jwk.js';
import { specEntry } from '../../core/key-specs.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { checkUse, countUse } from '../key-loading.js';
import { hsmSign } from '../hsm/crypto.js';
import { isHsmKey } from '../hsm/keys.js';
import { latestPrivateKey, latestVersion } from '../key-versions.js';
import { allowedOf } from './jwk-of.js';

/**
 * The key's JOSE signing algorithm (`requested`, else its JWK alg); INVALID_KEY_USAGE when it cannot sign it. With
 * `refuseOverride` (a caller's protected header), a `requested` alg other than the key's JWK alg is VALIDATION_ERROR.
 */
export function joseAlgorithmOf(key: KeyRecord, requested: string | undefined, options?: { refuseOverride: boolean }) {
  if (key.usage !== 'SIGN_VERIFY')
    throw new ValidationError(`key usage is ${key.usage}, not SIGN_VERIFY`, 'INVALID_KEY_USAGE');
  const spec = specEntry(key.spec);
  const allowed = allowedOf(spec, key);
  const own = jwkAlg(spec, allowed);
  if (options?.refuseOverride === true && requested !== undefined && own !== undefined && requested !== own)
    throw new ValidationError('the protected header may not override alg', 'VALIDATION_ERROR');
  return { spec, ...joseSigning(spec, allowed, requested) };
}

/**
 * Signs `message` (RAW) with the key's latest version as `alg` (see joseAlgorithmOf), counting one use.
 * @example const { signature } = await joseSign(ctx, key, 'ES256', input); // 64 bytes r‖s
 */
export async function joseSign(
  ctx: OpContext,
  key: KeyRecord,
  requested: string | undefined,
  message: Uint8Array,
): Promise<{ readonly alg: string; readonly signature: Uint8Array }> {
  const { spec, alg, algorithm } = joseAlgorithmOf(key, requested);
  checkUse(ctx, key, 'SIGN_VERIFY', algorithm, true);
  // An HSM-protected key signs in its token, as Sign does.
  const der = isHsmKey(key)
    ? await hsmSign(ctx, spec, await latestVersion(ctx, key), algorithm, message, 'RAW')
    : signMessage(spec, algorithm, await latestPrivateKey(ctx, key), message, 'RAW');
  await countUse(ctx, key);
  ctx.audit.details = { alg, signingAlgorithm: algorithm };
  return { alg, signature: toJoseSignature(spec, der) };
}
