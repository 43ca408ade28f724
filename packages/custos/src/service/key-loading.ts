// Loading keys for the call's operation: resolve, check state, usage and constraints, count uses; new records.
// Must not import api. Material lives in key-versions.ts, the described form in key-metadata.ts.
import {
  InternalError,
  InvalidStateError,
  LimitExceededError,
  NotFoundError,
  ValidationError,
  type Algorithm,
  type KeyUsage,
} from '@custos/contract';
import { algorithmsFor, specEntry, type KeySpecEntry } from '../core/key-specs.js';
import * as repo from '../store/repositories/index.js';
import type { Db } from '../store/index.js';
import type { KeyRecord } from '../store/types.js';
import type { OpContext, ServiceContext } from './context.js';
import { parseKeyRef } from './key-ref.js';
import { keyringKeyId } from './keyrings/key-ref.js';
import { assertStateAllows } from './lifecycle.js';
import { authorizeKey, type KeyAction } from './authz/authorize-key.js';
import { admitPin } from './key-pins/check-key-pin.js';
import { checkPublicKeyOnly } from './public-key-only.js';

/**
 * Resolves a key reference to its record, or KEY_NOT_FOUND / ALIAS_NOT_FOUND. With `cached`, the record may come
 * from the key cache (the cryptographic hot path); management always reads the store.
 */
export async function findKey(ctx: ServiceContext, db: Db, reference: string, cached = false): Promise<KeyRecord> {
  const hit = cached ? cachedKey(ctx, reference) : undefined;
  if (hit) return hit;
  const ref = parseKeyRef(reference, ctx.config);
  const epoch = ctx.cache.epoch;
  let id: string;
  if (ref.kind === 'keyring') id = await keyringKeyId(db, ref, ctx.now());
  else if (ref.kind === 'alias') {
    const target = cached ? ctx.cache.alias(ref.name) : undefined;
    if (target) id = target;
    else {
      const alias = await repo.aliases.get(db, ref.name);
      if (!alias) throw new NotFoundError(`alias not found: ${ref.name}`, 'ALIAS_NOT_FOUND');
      id = alias.keyId;
      if (cached) ctx.cache.putAlias(epoch, ref.name, id);
    }
  } else id = ref.id;
  if (cached) {
    // A cold key on the hot path: the key and its latest version in one indexed read (the unwrap follows).
    const found = await repo.keys.getWithLatestVersion(db, id);
    if (!found) throw new NotFoundError(`key not found: ${reference}`, 'KEY_NOT_FOUND');
    ctx.cache.putKey(epoch, found.key);
    if (found.version) ctx.cache.putVersion(epoch, found.version);
    return found.key;
  }
  const key = await repo.keys.get(db, id);
  if (!key) throw new NotFoundError(`key not found: ${reference}`, 'KEY_NOT_FOUND');
  return key;
}

/**
 * The key cache's record for a reference (id, ARN, alias), without a promise: the hot path's way in. Throws as
 * findKey does for a malformed reference or an ARN of another account or region.
 */
export function cachedKey(ctx: ServiceContext, reference: string): KeyRecord | undefined {
  const ref = parseKeyRef(reference, ctx.config);
  if (ref.kind === 'keyring') return undefined; // the current key changes with time: always read
  const id = ref.kind === 'alias' ? ctx.cache.alias(ref.name) : ref.id;
  return id === undefined ? undefined : ctx.cache.key(id);
}

/**
 * Resolves a key for the operation the call runs as (`ctx.operation`), checks its state, and records it in the
 * audit slot. A key in the cache comes back as it is, without a promise (the hot path); await the result either way.
 */
export function loadKey(ctx: OpContext, db: Db, reference: string, action?: KeyAction): KeyRecord | Promise<KeyRecord> {
  // Only cryptographic use reads through the cache, and only outside a transaction.
  const cached = db === ctx.store.db && ctx.operation.access === 'use';
  const hit = cached ? cachedKey(ctx, reference) : undefined;
  return hit
    ? admitKey(ctx, hit, action, db)
    : findKey(ctx, db, reference, cached).then((key) => admitKey(ctx, key, action, db));
}

/**
 * The checks of loadKey for a key already found: records it in the audit slot, authorises the call on it (key
 * policy, roles, grants: authz/authorize-key.ts; `action` overrides the operation's `kms:` action) and checks its
 * state allows the call's operation, then, for a PIN-protected key, the call's PIN (key-pins/check-key-pin.ts). No
 * promise unless the key's grants, aliases or PIN must be read (through `db`: the call's transaction, if it is in one).
 */
export function admitKey(
  ctx: OpContext,
  key: KeyRecord,
  action?: KeyAction,
  db: Db = ctx.store.db,
): KeyRecord | Promise<KeyRecord> {
  ctx.audit.keyId = key.id;
  const authorised = authorizeKey(ctx, key, action, db);
  if (authorised) return authorised.then(() => admitted(ctx, key));
  return admitted(ctx, key);
}

function admitted(ctx: OpContext, key: KeyRecord): KeyRecord | Promise<KeyRecord> {
  assertStateAllows(ctx.operation, effectiveState(ctx, key));
  checkPublicKeyOnly(ctx.operation, key);
  return admitPin(ctx, key);
}

/**
 * Imported material past its expiry is unusable at once, not only after the maintenance job has deleted it:
 * until then the key answers as PendingImport.
 */
export function effectiveState(ctx: ServiceContext, key: KeyRecord): KeyRecord['state'] {
  const expired = key.materialExpiresAt !== null && key.materialExpiresAt <= ctx.now();
  return expired && (key.state === 'Enabled' || key.state === 'Disabled') ? 'PendingImport' : key.state;
}

/** Checks the key's usage and spec allow `algorithm` for `usage`, and its usage constraints allow `algorithm` now. */
export function checkUse(
  ctx: OpContext,
  key: KeyRecord,
  usage: KeyUsage,
  algorithm: Algorithm,
  originating: boolean,
): KeySpecEntry {
  const spec = specEntry(key.spec);
  if (key.usage !== usage) throw new ValidationError(`key usage is ${key.usage}, not ${usage}`, 'INVALID_KEY_USAGE');
  const supported = supportedAlgorithms(spec, usage);
  if (!supported.includes(algorithm)) {
    throw new ValidationError(`${algorithm} is not supported by a ${key.spec} key`, 'INVALID_KEY_USAGE');
  }
  if (key.allowedAlgorithms && !key.allowedAlgorithms.includes(algorithm)) {
    throw new ValidationError(`the key's usage constraints do not allow ${algorithm}`, 'INVALID_KEY_USAGE');
  }
  checkValidity(ctx, key, originating);
  return spec;
}

/**
 * The validity window: before `notBefore` nothing is allowed; after `notAfter` operations that create
 * new protected data (encrypt, sign, MAC, derive) are refused, while decrypt and verify go on working,
 * so data protected during the window stays readable.
 */
function checkValidity(ctx: OpContext, key: KeyRecord, originating: boolean): void {
  if (!key.notBefore && !key.notAfter) return;
  const now = ctx.now();
  if (key.notBefore && now < key.notBefore)
    throw new InvalidStateError('the key is not valid yet', 'KEY_NOT_YET_VALID');
  if (originating && key.notAfter && now > key.notAfter)
    throw new InvalidStateError('the key has expired', 'KEY_EXPIRED');
}

/**
 * The key's record, locked until the transaction ends (PostgreSQL: SELECT ... FOR UPDATE). Key rows are never
 * deleted, so a key the caller has already loaded and cannot find here is a bug: INTERNAL.
 */
export async function lockKey(tx: Db, keyId: string): Promise<KeyRecord> {
  const key = await repo.keys.getForUpdate(tx, keyId);
  if (!key) throw new InternalError(`key ${keyId} has no row to lock`);
  return key;
}

/**
 * Counts one use of the key by the call's operation: in the usage telemetry (usage/recorder.ts: in memory, flushed in
 * batches, nothing to wait for) under `version` (default the version the call has noted for its audit record, else
 * the newest), and, for a key with a maximum, against it — atomically and durably in the store before the use is
 * allowed, so maxUses holds across crashes and processes (USAGE_LIMIT_EXCEEDED when reached).
 */
export function countUse(ctx: OpContext, key: KeyRecord, version?: number): Promise<void> | undefined {
  const record = () => {
    ctx.usage.record(key.id, version ?? ctx.audit.keyVersion ?? key.latestVersion, ctx.operation.name, ctx.now());
  };
  if (key.maxUses === null) {
    record();
    return undefined;
  }
  const maxUses = key.maxUses;
  return repo.keys.incrementUseCount(ctx.store.db, key.id, maxUses).then((ok) => {
    if (!ok) throw new LimitExceededError(`the key has reached its maximum of ${maxUses} uses`, 'USAGE_LIMIT_EXCEEDED');
    record();
  });
}

/** countUse for a call that made a secret before counting: past the key's use limit the secret is wiped, then refused. */
export async function countUseOrWipe(ctx: OpContext, key: KeyRecord, secret: Uint8Array): Promise<void> {
  try {
    await countUse(ctx, key);
  } catch (error) {
    secret.fill(0);
    throw error;
  }
}

/** The spec's algorithms for `usage`, none when the spec does not have that usage. */
export function supportedAlgorithms(spec: KeySpecEntry, usage: KeyUsage): readonly Algorithm[] {
  return spec.usages.includes(usage) ? algorithmsFor(spec, usage) : [];
}

/** The fields every new key starts with; callers give what differs (id, spec, usage, state, origin, ...). */
export function newKeyRecord(
  now: Date,
  fields: Pick<KeyRecord, 'id' | 'spec' | 'usage' | 'state' | 'origin' | 'latestVersion'> & Partial<KeyRecord>,
): KeyRecord {
  return {
    protectionLevel: 'SOFTWARE',
    description: '',
    exportable: false,
    createdAt: now,
    updatedAt: now,
    deletionDate: null,
    pendingWindowDays: null,
    rotationEnabled: false,
    rotationPeriodDays: null,
    nextRotationAt: null,
    allowedAlgorithms: null,
    notBefore: null,
    notAfter: null,
    maxUses: null,
    useCount: 0,
    materialExpiresAt: null,
    applicationId: null,
    referenceId: null,
    policy: null,
    publishJwk: false,
    pinProtected: false,
    publicKeyOnly: false,
    minDecryptionVersion: 1,
    trimFloor: 1,
    trimDate: null,
    ...fields,
  };
}
