// KeyMetadata: a key record as AWS describes it (DescribeKey, CreateKey, ...), plus Custos's fields.
// Must not import api.
import type { KeyMetadata, KeyUsage } from '@custos/contract';
import { specEntry } from '../core/key-specs.js';
import type { KeyRecord } from '../store/types.js';
import type { ServiceContext } from './context.js';
import { keyArn } from './key-ref.js';
import { effectiveState, supportedAlgorithms } from './key-loading.js';
import { isSymmetricEncryptionKey } from './usage/versions.js';

/** KeyMetadata as AWS returns it, plus Custos's fields. */
export function keyMetadata(ctx: ServiceContext, key: KeyRecord): KeyMetadata {
  const spec = specEntry(key.spec);
  const algs = (usage: KeyUsage) => (key.usage === usage ? supportedAlgorithms(spec, usage) : undefined);
  return {
    awsAccountId: ctx.config.accountId,
    keyId: key.id,
    arn: keyArn(ctx.config, key.id),
    creationDate: key.createdAt,
    enabled: effectiveState(ctx, key) === 'Enabled',
    description: key.description,
    keyUsage: key.usage,
    keyState: effectiveState(ctx, key),
    ...(key.deletionDate ? { deletionDate: key.deletionDate } : {}),
    ...(key.pendingWindowDays !== null && key.state === 'PendingDeletion'
      ? { pendingDeletionWindowInDays: key.pendingWindowDays }
      : {}),
    ...(key.materialExpiresAt ? { validTo: key.materialExpiresAt } : {}),
    origin: key.origin,
    keyManager: 'CUSTOMER',
    customerMasterKeySpec: key.spec,
    keySpec: key.spec,
    ...(algs('ENCRYPT_DECRYPT') ? { encryptionAlgorithms: algs('ENCRYPT_DECRYPT') } : {}),
    ...(algs('SIGN_VERIFY') ? { signingAlgorithms: algs('SIGN_VERIFY') } : {}),
    ...(algs('GENERATE_VERIFY_MAC') ? { macAlgorithms: algs('GENERATE_VERIFY_MAC') } : {}),
    ...(algs('KEY_AGREEMENT') ? { keyAgreementAlgorithms: algs('KEY_AGREEMENT') } : {}),
    ...(algs('ENCAPSULATE_DECAPSULATE') ? { encapsulationAlgorithms: algs('ENCAPSULATE_DECAPSULATE') } : {}),
    ...(algs('DERIVE_KEY') ? { derivationAlgorithms: algs('DERIVE_KEY') } : {}),
    ...(key.origin === 'EXTERNAL'
      ? { expirationModel: key.materialExpiresAt ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE' }
      : {}),
    multiRegion: false,
    exportable: key.exportable,
    protectionLevel: key.protectionLevel,
    currentKeyVersion: key.latestVersion,
    usageConstraints: {
      ...(key.allowedAlgorithms ? { allowedAlgorithms: [...key.allowedAlgorithms] } : {}),
      ...(key.notBefore ? { notBefore: key.notBefore } : {}),
      ...(key.notAfter ? { notAfter: key.notAfter } : {}),
      ...(key.maxUses !== null ? { maxUses: key.maxUses } : {}),
      useCount: key.useCount,
    },
    ...(isSymmetricEncryptionKey(key) ? { minDecryptionVersion: key.minDecryptionVersion } : {}),
    ...(key.applicationId !== null && key.referenceId !== null
      ? { keyring: { applicationId: key.applicationId, referenceId: key.referenceId } }
      : {}),
    ...(key.publicKeyOnly ? { publicKeyOnly: true } : {}),
  } as KeyMetadata;
}
