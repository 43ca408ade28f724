// The handler of every operation, by name: the table KeyService dispatches on.
import type { OpContext } from '../context.js';
import type { OperationName } from '../lifecycle.js';
import { createAccessKey, listAccessKeys, revokeAccessKey } from './access-keys.js';
import { createAlias, deleteAlias, listAliases, updateAlias } from './aliases.js';
import { listAuditRecords, verifyAuditChain } from './audit.js';
import { createKey } from './create-key.js';
import { decrypt } from './decrypt.js';
import { deriveKey } from './derive-key.js';
import { deriveSharedSecret } from './derive-shared-secret.js';
import { describeKey } from './describe-key.js';
import { disableKey, enableKey } from './enable-key.js';
import { encrypt } from './encrypt.js';
import { exportKey } from './export-key.js';
import { generateDataKey, generateDataKeyWithoutPlaintext } from './generate-data-key.js';
import { generateDataKeyPair, generateDataKeyPairWithoutPlaintext } from './generate-data-key-pair.js';
import { generateMac, verifyMac } from './generate-mac.js';
import { generateRandom } from './generate-random.js';
import { getPublicKey } from './get-public-key.js';
import { deleteImportedKeyMaterial, getParametersForImport, importKeyMaterial } from './import-key-material.js';
import { autoRotateKey, destroyKey, expireKeyMaterial } from './jobs.js';
import { getKeyPolicy, putKeyPolicy } from './key-policy.js';
import { listKeys } from './list-keys.js';
import { reEncrypt } from './re-encrypt.js';
import { readMetrics } from './read-metrics.js';
import {
  disableKeyRotation,
  enableKeyRotation,
  getKeyRotationStatus,
  listKeyRotations,
  rotateKeyOnDemand,
} from './rotation.js';
import { cancelKeyDeletion, scheduleKeyDeletion } from './schedule-key-deletion.js';
import { sign, verify } from './sign.js';
import { listResourceTags, tagResource, untagResource } from './tags.js';
import { bootstrapToken, createToken, listTokens, revokeToken } from './tokens.js';
import { updateKeyConstraints } from './update-key-constraints.js';
import { updateKeyDescription } from './update-key-description.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (ctx: OpContext, input: any) => Promise<unknown>;

export const HANDLERS: Record<OperationName, Handler> = {
  CreateKey: createKey,
  DescribeKey: describeKey,
  ListKeys: listKeys,
  UpdateKeyDescription: updateKeyDescription,
  EnableKey: enableKey,
  DisableKey: disableKey,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  CancelKeyDeletion: cancelKeyDeletion,
  CreateAlias: createAlias,
  UpdateAlias: updateAlias,
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListResourceTags: listResourceTags,
  Encrypt: encrypt,
  Decrypt: decrypt,
  ReEncrypt: reEncrypt,
  GenerateDataKey: generateDataKey,
  GenerateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintext,
  GenerateDataKeyPair: generateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext: generateDataKeyPairWithoutPlaintext,
  GenerateRandom: generateRandom,
  Sign: sign,
  Verify: verify,
  GetPublicKey: getPublicKey,
  GenerateMac: generateMac,
  VerifyMac: verifyMac,
  DeriveSharedSecret: deriveSharedSecret,
  DeriveKey: deriveKey,
  EnableKeyRotation: enableKeyRotation,
  DisableKeyRotation: disableKeyRotation,
  GetKeyRotationStatus: getKeyRotationStatus,
  RotateKeyOnDemand: rotateKeyOnDemand,
  ListKeyRotations: listKeyRotations,
  GetParametersForImport: getParametersForImport,
  ImportKeyMaterial: importKeyMaterial,
  DeleteImportedKeyMaterial: deleteImportedKeyMaterial,
  GetKeyPolicy: getKeyPolicy,
  PutKeyPolicy: putKeyPolicy,
  ExportKey: exportKey,
  UpdateKeyConstraints: updateKeyConstraints,
  ListAuditRecords: listAuditRecords,
  VerifyAuditChain: verifyAuditChain,
  DestroyKey: destroyKey,
  ExpireKeyMaterial: expireKeyMaterial,
  AutoRotateKey: autoRotateKey,
  CreateToken: createToken,
  ListTokens: listTokens,
  RevokeToken: revokeToken,
  CreateAccessKey: createAccessKey,
  ListAccessKeys: listAccessKeys,
  RevokeAccessKey: revokeAccessKey,
  BootstrapToken: bootstrapToken,
  ReadMetrics: readMetrics,
};
