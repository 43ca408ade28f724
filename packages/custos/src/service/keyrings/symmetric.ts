// GenerateKeyringSymmetricKey (MOSIP generateSymmetricKey): an AES-256 key in a keyring, in the root's token when
// there is one, else wrapped under the root of trust. Must not import api.
import { randomUUID } from 'node:crypto';
import { generateKeyMaterial } from '../../core/key-material.js';
import { keySpec } from '../../core/key-specs.js';
import { lockInTransaction } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyVersionRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { createHsmObject, destroyHsmObject } from '../hsm/keys.js';
import { newKeyRecord } from '../key-loading.js';
import { wrapMaterial } from '../key-versions.js';
import { ringPolicy } from './access.js';
import { currentGeneration } from './current.js';
import { checkAccess } from './policies.js';
import { DAY_MS, uniqueIdentifier, type Ring } from './rings.js';

const SPEC = keySpec('AES_256');

/** The keyring's current AES key, or a new one (`force`, or none current); `generated` says which. */
export async function generateKeyringSymmetricKey(
  ctx: OpContext,
  ring: Ring,
  force: boolean,
): Promise<{ keyId: string; generated: boolean }> {
  const policy = await ringPolicy(ctx, ring);
  const now = ctx.now();
  const current = await currentGeneration(ctx.store.db, ring, ['SYMMETRIC'], policy.preExpireDays, now);
  if (current?.key && !force) {
    ctx.audit.keyId = current.key.id;
    return { keyId: current.key.id, generated: false };
  }
  checkAccess({ ...policy, accessAllowed: 'NA' }, ctx.caller); // an inactive policy generates nothing
  const id = randomUUID();
  const hsm = ctx.hsmTokens?.hasRootToken === true;
  let version: KeyVersionRecord;
  if (hsm) {
    const made = await createHsmObject(ctx, { id }, 1, { type: 'aes', bytes: 32 }, null);
    version = {
      keyId: id,
      version: 1,
      wrappedMaterial: null,
      publicKey: null,
      createdAt: now,
      rotationType: null,
      encryptionCount: 0,
      tokenObjectId: made.tokenObjectId ?? null,
      customKeyStoreId: made.customKeyStoreId ?? null,
    };
  } else {
    const generated = await generateKeyMaterial(SPEC);
    const wrapped = await wrapMaterial(ctx, { id, spec: SPEC.name }, 1, generated.material);
    version = {
      keyId: id,
      version: 1,
      wrappedMaterial: wrapped,
      publicKey: null,
      createdAt: now,
      rotationType: null,
      encryptionCount: 0,
    };
  }
  const key = newKeyRecord(now, {
    id,
    spec: SPEC.name,
    usage: 'ENCRYPT_DECRYPT',
    state: 'Enabled',
    origin: 'AWS_KMS',
    latestVersion: 1,
    protectionLevel: hsm ? 'HSM' : 'SOFTWARE',
    description: `keyring ${ring.applicationId}/${ring.referenceId} (SYMMETRIC)`,
    applicationId: ring.applicationId,
    referenceId: ring.referenceId,
  });
  ctx.audit.keyId = id;
  ctx.audit.keyVersion = 1;
  try {
    await ctx.transaction(async (tx) => {
      await lockInTransaction(tx, 'keyrings');
      await repo.keys.insert(tx, key);
      await repo.keyVersions.insert(tx, version);
      await repo.keyringKeys.insert(tx, {
        id: randomUUID(),
        applicationId: ring.applicationId,
        referenceId: ring.referenceId,
        kind: 'SYMMETRIC',
        keyId: id,
        certificate: null,
        thumbprint: null,
        uniqueIdentifier: uniqueIdentifier(ring, now),
        generatedAt: now,
        expiresAt: new Date(now.getTime() + policy.validityDays * DAY_MS),
        createdAt: now,
      });
    });
  } catch (err) {
    await destroyHsmObject(ctx, version).catch(() => undefined);
    throw err;
  }
  return { keyId: id, generated: true };
}
