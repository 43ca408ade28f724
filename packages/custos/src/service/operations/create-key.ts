// CreateKey: a new key with generated material (origin AWS_KMS) or none yet (EXTERNAL, PendingImport).
import { createKeyOperation, InternalError, ValidationError } from '@custos/contract';
import { randomUUID } from 'node:crypto';
import { keySpec } from '../../core/key-specs.js';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { newKeyMaterial } from '../dev/dev-mode.js';
import { newKeyRecord } from '../key-loading.js';
import { newKeyPin } from '../key-pins/new-key-pin.js';
import { keyMetadata } from '../key-metadata.js';
import { wrapMaterial } from '../key-versions.js';
import { createHsmObject, destroyHsmObject, hsmKeyKind, oaepAlgorithmsOf } from '../hsm/keys.js';
import { customKeyStoreOf, keyStoreFields } from '../hsm/key-store-records.js';
import { checkLockout } from '../authz/lockout.js';
import { allowedAlgorithmsOf, checkConstraints, checkPolicy, checkTags, refuseUnsupported } from '../rules.js';

export const createKey = defineOperation(createKeyOperation, { access: 'manage', states: null }, async (ctx, input) => {
  refuseUnsupported(input, ['multiRegion']);
  if (input.keySpec && input.customerMasterKeySpec && input.keySpec !== input.customerMasterKeySpec) {
    throw new ValidationError('keySpec and customerMasterKeySpec differ');
  }
  const spec = keySpec(input.keySpec ?? input.customerMasterKeySpec ?? 'SYMMETRIC_DEFAULT');
  const [defaultUsage] = spec.usages;
  const usage = input.keyUsage ?? defaultUsage;
  if (!usage) throw new InternalError(`${spec.name} lists no usage`);
  if (!spec.usages.includes(usage)) throw new ValidationError(`a ${spec.name} key cannot have usage ${usage}`);
  // The schema admits AWS_KMS, EXTERNAL and AWS_CLOUDHSM (with a custom key store); EXTERNAL_KEY_STORE fails validation.
  const origin = input.origin ?? 'AWS_KMS';
  const keyStoreId = customKeyStoreOf(input);
  if (keyStoreId !== null) ctx.keyStores.requireModule(); // UNSUPPORTED on a server with no PKCS#11 module
  const constraints = input.usageConstraints ?? {};
  checkConstraints(spec, usage, constraints);
  checkPolicy(input.policy, ctx.config.accountId);
  checkTags(input.tags);
  if (input.keyring && (!input.keyring.applicationId || !input.keyring.referenceId)) {
    throw new ValidationError('a keyring needs both applicationId and referenceId');
  }

  const protectionLevel = keyStoreId !== null ? 'HSM' : (input.protectionLevel ?? 'SOFTWARE');
  // HSM: every check before the token makes anything (UNSUPPORTED names what the token cannot do).
  const hsmKind =
    protectionLevel === 'HSM' ? hsmKeyKind({ spec, usage, origin, exportable: input.exportable ?? false }) : undefined;

  const now = ctx.now();
  // Development mode with a seed: the id derives from it (dev/dev-mode.ts); otherwise random.
  const id = ctx.dev
    ? await ctx.dev.nextKeyId(async (taken) => (await repo.keys.get(ctx.store.db, taken)) !== undefined)
    : randomUUID();
  // AWS's lockout check, before anything is made: the creator must be able to put the key's policy afterwards.
  if (input.policy !== undefined) {
    const facts = newKeyRecord(now, { id, spec: spec.name, usage, state: 'Enabled', origin, latestVersion: 0 });
    checkLockout(ctx, facts, input.policy, input.bypassPolicyLockoutSafetyCheck ?? false);
  }
  const pinned = await newKeyPin(ctx, id, input, now); // checked before any material is made
  const generated = origin === 'AWS_KMS' && !hsmKind ? await newKeyMaterial(ctx, spec, id, 1) : undefined;
  // In a custom key store: its token, which must be CONNECTED (CUSTOM_KEY_STORE_INVALID_STATE otherwise).
  const hsmObject = hsmKind
    ? await createHsmObject(
        ctx,
        { id },
        1,
        hsmKind,
        keyStoreId,
        oaepAlgorithmsOf(spec, usage, allowedAlgorithmsOf(constraints)),
      )
    : undefined;
  const hasMaterial = generated !== undefined || hsmObject !== undefined;
  const key = newKeyRecord(now, {
    id,
    spec: spec.name,
    usage,
    state: hasMaterial ? 'Enabled' : 'PendingImport',
    origin,
    protectionLevel,
    latestVersion: hasMaterial ? 1 : 0,
    description: input.description ?? '',
    exportable: input.exportable ?? false,
    allowedAlgorithms: allowedAlgorithmsOf(constraints),
    notBefore: constraints.notBefore ?? null,
    notAfter: constraints.notAfter ?? null,
    maxUses: constraints.maxUses ?? null,
    applicationId: input.keyring?.applicationId ?? null,
    referenceId: input.keyring?.referenceId ?? null,
    policy: input.policy ?? null,
    publishJwk: input.publishJwk ?? false,
    pinProtected: pinned !== undefined,
  });
  const wrapped = generated ? await wrapMaterial(ctx, key, 1, generated.material) : null;
  ctx.audit.keyId = id;
  ctx.audit.keyVersion = hasMaterial ? 1 : null;
  ctx.audit.details = {
    keySpec: spec.name,
    keyUsage: usage,
    origin,
    ...(hsmObject ? { protectionLevel } : {}),
    ...(keyStoreId !== null ? { customKeyStoreId: keyStoreId } : {}),
  };
  try {
    await ctx.transaction(async (tx) => {
      await repo.keys.insert(tx, key);
      if (hasMaterial) {
        await repo.keyVersions.insert(tx, {
          keyId: id,
          version: 1,
          wrappedMaterial: wrapped,
          publicKey: hsmObject?.publicKey ?? generated?.publicKey ?? null,
          createdAt: now,
          rotationType: null,
          encryptionCount: 0,
          ...(hsmObject
            ? { tokenObjectId: hsmObject.tokenObjectId, customKeyStoreId: hsmObject.customKeyStoreId }
            : {}),
        });
      }
      if (input.tags?.length) await repo.tags.put(tx, id, input.tags);
      if (pinned) await repo.keyPins.insert(tx, pinned.record);
    });
  } catch (err) {
    // Nothing half-written: the token object of a key the store never recorded is destroyed again.
    if (hsmObject) await destroyHsmObject(ctx, hsmObject).catch(() => undefined);
    throw err;
  }
  const keyMetadataOut = { ...keyMetadata(ctx, key), ...(await keyStoreFields(ctx.store.db, key)) };
  return { keyMetadata: keyMetadataOut, ...(pinned && { puk: pinned.puk }) };
});
