// HSM-protected keys: which specs and settings a token can serve (refused at CreateKey with UNSUPPORTED, naming what
// is missing), making a version's key object in the token, and destroying a key's objects. Must not import api.
import { UnsupportedError, type KeyUsage, type Origin } from '@custos/contract';
import type { KeySpecEntry } from '../../core/key-specs.js';
import { HASH_OF } from '../../core/algorithms/digests.js';
import { tokenCanOaep } from '../../keystore/pkcs11/token-crypto.js';
import { destroyTokenKey, generateTokenKey, type TokenKeyKind } from '../../keystore/pkcs11/token-keys.js';
import type { KeyRecord, KeyVersionRecord } from '../../store/types.js';
import type { Db } from '../../store/index.js';
import type { ServiceContext } from '../context.js';
import { hsmTokenFor } from './tokens.js';

/** What CreateKey asks for, as far as the token is concerned. */
export interface HsmKeyRequest {
  readonly spec: KeySpecEntry;
  readonly usage: KeyUsage;
  readonly origin: Origin;
  readonly exportable: boolean;
}

/** The usages the token serves per family. */
const USAGES: Record<string, readonly KeyUsage[]> = {
  aes: ['ENCRYPT_DECRYPT'],
  hmac: ['GENERATE_VERIFY_MAC'],
  rsa: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ec: ['SIGN_VERIFY'],
};

/** The RSA-OAEP algorithms a key of `spec` and `usage` may use, given its allowed algorithms (null: all). */
export function oaepAlgorithmsOf(
  spec: KeySpecEntry,
  usage: KeyUsage,
  allowed: readonly string[] | null,
): RsaOaepAlgorithm[] {
  if (usage !== 'ENCRYPT_DECRYPT') return [];
  return spec.encryption.filter(
    (a): a is RsaOaepAlgorithm => a !== 'SYMMETRIC_DEFAULT' && (allowed === null || allowed.includes(a)),
  );
}

/** The token object a version of `spec` needs; UNSUPPORTED naming what the token cannot do. */
export function hsmKeyKind(request: HsmKeyRequest): TokenKeyKind {
  const { spec, usage } = request;
  // PKCS#11 has no ML-DSA/ML-KEM mechanisms in the tokens Custos drives (SoftHSM2 2.6, PKCS#11 3.1): refused first,
  // with a code of its own, whatever else the request asks.
  if (spec.family.material === 'seed')
    throw new UnsupportedError(
      `HSM-protected keys cannot have spec ${spec.name}: post-quantum keys are software keys only`,
      'PQ_HSM_UNSUPPORTED',
    );
  // AWS_KMS (the root's token) and AWS_CLOUDHSM (a custom key store's token) are both generated in a token.
  if (request.origin === 'EXTERNAL')
    throw new UnsupportedError(
      `HSM-protected keys are generated in the token: origin ${request.origin} is not supported`,
    );
  if (request.exportable)
    throw new UnsupportedError('HSM-protected keys never leave the token: exportable is not supported');
  const family = spec.family.name;
  const kind = kindOfSpec(spec);
  if (kind === undefined)
    throw new UnsupportedError(
      `HSM-protected keys cannot have spec ${spec.name}: the token serves AES-256, HMAC, RSA 2048/3072/4096 and EC P-256/P-384`,
    );
  if (!(USAGES[family] ?? []).includes(usage))
    throw new UnsupportedError(
      `HSM-protected ${spec.name} keys cannot have usage ${usage} (the token does not serve it)`,
    );
  return kind;
}

function kindOfSpec(spec: KeySpecEntry): TokenKeyKind | undefined {
  const family = spec.family.name;
  if (family === 'aes' && spec.keyBytes === 32) return { type: 'aes', bytes: 32 };
  if (family === 'hmac' && spec.keyBytes !== undefined) return { type: 'hmac', bytes: spec.keyBytes };
  if (family === 'rsa' && (spec.modulusBits === 2048 || spec.modulusBits === 3072 || spec.modulusBits === 4096))
    return { type: 'rsa', bits: spec.modulusBits };
  const crv = 'crv' in spec.family ? spec.family.crv : undefined;
  if (family === 'ec' && (crv === 'P-256' || crv === 'P-384')) return { type: 'ec', curve: crv };
  return undefined;
}

/** Whether the key's material lives in a token. */
export function isHsmKey(key: Pick<KeyRecord, 'protectionLevel'>): boolean {
  return key.protectionLevel === 'HSM';
}

/** UNSUPPORTED for an operation the token does not serve yet (`what`), on an HSM-protected key. */
export function refuseHsmKey(key: Pick<KeyRecord, 'protectionLevel'>, what: string): void {
  if (isHsmKey(key)) throw new UnsupportedError(`${what} is not supported on HSM-protected keys yet`);
}

/** The RSA-OAEP algorithms a key may decrypt with; the token is asked for each when the key is made. */
type RsaOaepAlgorithm = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256';

/**
 * Makes version `version`'s key object in the token for `keyStoreId` (null = the root's token), after checking that
 * the token does each of `oaep` with it (UNSUPPORTED naming the one it does not, the object destroyed again). The
 * caller stores the returned fields; if that fails, it calls {@link destroyHsmObject} so nothing is left in the token.
 */
export async function createHsmObject(
  ctx: ServiceContext,
  key: Pick<KeyRecord, 'id'>,
  version: number,
  kind: TokenKeyKind,
  keyStoreId: string | null,
  oaep: readonly RsaOaepAlgorithm[] = [],
): Promise<Pick<KeyVersionRecord, 'tokenObjectId' | 'customKeyStoreId' | 'publicKey'>> {
  const token = await hsmTokenFor(ctx, keyStoreId);
  const made = await generateTokenKey(token, kind, `custos ${key.id} v${version}`);
  try {
    for (const algorithm of oaep) {
      if (!(await tokenCanOaep(token, made.id, HASH_OF[algorithm])))
        throw new UnsupportedError(
          `the PKCS#11 token '${token.tokenLabel}' cannot do ${algorithm}: create the key with ` +
            `usageConstraints.allowedAlgorithms naming only the encryption algorithms the token does`,
        );
    }
  } catch (err) {
    await destroyTokenKey(token, made.id).catch(() => undefined);
    throw err;
  }
  return { tokenObjectId: made.id, customKeyStoreId: keyStoreId, publicKey: made.publicKey };
}

/**
 * Destroys one version's key object (idempotent: an object already gone is fine). Inside a transaction, pass it as
 * `db`: a custom key store's row is read through it (SQLite has one connection, which the transaction holds).
 */
export async function destroyHsmObject(
  ctx: ServiceContext,
  version: Pick<KeyVersionRecord, 'tokenObjectId' | 'customKeyStoreId'>,
  db: Db = ctx.store.db,
): Promise<void> {
  if (!version.tokenObjectId) return;
  const token = await hsmTokenFor(ctx, version.customKeyStoreId ?? null, db);
  await destroyTokenKey(token, version.tokenObjectId);
}
