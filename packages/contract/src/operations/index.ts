// Every operation's request and response schemas, and OPERATIONS: the one table the service and API validate from.
// Must not import anything but the operation files (add an operation: its file, one export line, one table row).

export * from './cancel-key-deletion.js';
export * from './create-access-key.js';
export * from './create-alias.js';
export * from './create-key.js';
export * from './create-token.js';
export * from './decrypt.js';
export * from './delete-alias.js';
export * from './delete-imported-key-material.js';
export * from './derive-key.js';
export * from './derive-shared-secret.js';
export * from './describe-key.js';
export * from './disable-key-rotation.js';
export * from './disable-key.js';
export * from './enable-key-rotation.js';
export * from './enable-key.js';
export * from './encrypt.js';
export * from './export-key.js';
export * from './generate-data-key-pair-without-plaintext.js';
export * from './generate-data-key-pair.js';
export * from './generate-data-key-without-plaintext.js';
export * from './generate-data-key.js';
export * from './generate-mac.js';
export * from './generate-random.js';
export * from './get-key-policy.js';
export * from './get-key-rotation-status.js';
export * from './get-parameters-for-import.js';
export * from './get-public-key.js';
export * from './import-key-material.js';
export * from './list-access-keys.js';
export * from './list-aliases.js';
export * from './list-audit-records.js';
export * from './list-key-rotations.js';
export * from './list-keys.js';
export * from './list-resource-tags.js';
export * from './list-tokens.js';
export * from './put-key-policy.js';
export * from './re-encrypt.js';
export * from './revoke-access-key.js';
export * from './revoke-token.js';
export * from './rotate-key-on-demand.js';
export * from './schedule-key-deletion.js';
export * from './sign.js';
export * from './tag-resource.js';
export * from './untag-resource.js';
export * from './update-alias.js';
export * from './update-key-constraints.js';
export * from './update-key-description.js';
export * from './verify-audit-chain.js';
export * from './verify-mac.js';
export * from './verify.js';

import { CancelKeyDeletionRequest, CancelKeyDeletionResponse } from './cancel-key-deletion.js';
import { CreateAccessKeyRequest, CreateAccessKeyResponse } from './create-access-key.js';
import { CreateAliasRequest, CreateAliasResponse } from './create-alias.js';
import { CreateKeyRequest, CreateKeyResponse } from './create-key.js';
import { CreateTokenRequest, CreateTokenResponse } from './create-token.js';
import { DecryptRequest, DecryptResponse } from './decrypt.js';
import { DeleteAliasRequest, DeleteAliasResponse } from './delete-alias.js';
import { DeleteImportedKeyMaterialRequest, DeleteImportedKeyMaterialResponse } from './delete-imported-key-material.js';
import { DeriveKeyRequest, DeriveKeyResponse } from './derive-key.js';
import { DeriveSharedSecretRequest, DeriveSharedSecretResponse } from './derive-shared-secret.js';
import { DescribeKeyRequest, DescribeKeyResponse } from './describe-key.js';
import { DisableKeyRotationRequest, DisableKeyRotationResponse } from './disable-key-rotation.js';
import { DisableKeyRequest, DisableKeyResponse } from './disable-key.js';
import { EnableKeyRotationRequest, EnableKeyRotationResponse } from './enable-key-rotation.js';
import { EnableKeyRequest, EnableKeyResponse } from './enable-key.js';
import { EncryptRequest, EncryptResponse } from './encrypt.js';
import { ExportKeyRequest, ExportKeyResponse } from './export-key.js';
import {
  GenerateDataKeyPairWithoutPlaintextRequest,
  GenerateDataKeyPairWithoutPlaintextResponse,
} from './generate-data-key-pair-without-plaintext.js';
import { GenerateDataKeyPairRequest, GenerateDataKeyPairResponse } from './generate-data-key-pair.js';
import {
  GenerateDataKeyWithoutPlaintextRequest,
  GenerateDataKeyWithoutPlaintextResponse,
} from './generate-data-key-without-plaintext.js';
import { GenerateDataKeyRequest, GenerateDataKeyResponse } from './generate-data-key.js';
import { GenerateMacRequest, GenerateMacResponse } from './generate-mac.js';
import { GenerateRandomRequest, GenerateRandomResponse } from './generate-random.js';
import { GetKeyPolicyRequest, GetKeyPolicyResponse } from './get-key-policy.js';
import { GetKeyRotationStatusRequest, GetKeyRotationStatusResponse } from './get-key-rotation-status.js';
import { GetParametersForImportRequest, GetParametersForImportResponse } from './get-parameters-for-import.js';
import { GetPublicKeyRequest, GetPublicKeyResponse } from './get-public-key.js';
import { ImportKeyMaterialRequest, ImportKeyMaterialResponse } from './import-key-material.js';
import { ListAccessKeysRequest, ListAccessKeysResponse } from './list-access-keys.js';
import { ListAliasesRequest, ListAliasesResponse } from './list-aliases.js';
import { ListAuditRecordsRequest, ListAuditRecordsResponse } from './list-audit-records.js';
import { ListKeyRotationsRequest, ListKeyRotationsResponse } from './list-key-rotations.js';
import { ListKeysRequest, ListKeysResponse } from './list-keys.js';
import { ListResourceTagsRequest, ListResourceTagsResponse } from './list-resource-tags.js';
import { ListTokensRequest, ListTokensResponse } from './list-tokens.js';
import { PutKeyPolicyRequest, PutKeyPolicyResponse } from './put-key-policy.js';
import { ReEncryptRequest, ReEncryptResponse } from './re-encrypt.js';
import { RevokeAccessKeyRequest, RevokeAccessKeyResponse } from './revoke-access-key.js';
import { RevokeTokenRequest, RevokeTokenResponse } from './revoke-token.js';
import { RotateKeyOnDemandRequest, RotateKeyOnDemandResponse } from './rotate-key-on-demand.js';
import { ScheduleKeyDeletionRequest, ScheduleKeyDeletionResponse } from './schedule-key-deletion.js';
import { SignRequest, SignResponse } from './sign.js';
import { TagResourceRequest, TagResourceResponse } from './tag-resource.js';
import { UntagResourceRequest, UntagResourceResponse } from './untag-resource.js';
import { UpdateAliasRequest, UpdateAliasResponse } from './update-alias.js';
import { UpdateKeyConstraintsRequest, UpdateKeyConstraintsResponse } from './update-key-constraints.js';
import { UpdateKeyDescriptionRequest, UpdateKeyDescriptionResponse } from './update-key-description.js';
import { VerifyAuditChainRequest, VerifyAuditChainResponse } from './verify-audit-chain.js';
import { VerifyMacRequest, VerifyMacResponse } from './verify-mac.js';
import { VerifyRequest, VerifyResponse } from './verify.js';
import type { TSchema } from '@sinclair/typebox';

/** One row of {@link OPERATIONS}. */
export interface OperationSpec {
  /** The operation name as AWS KMS spells it (`GenerateDataKey`); Custos-only operations use the same style. */
  readonly name: string;
  /** Whether AWS KMS has this operation (so the AWS endpoint can serve it). */
  readonly aws: boolean;
  readonly request: TSchema;
  readonly response: TSchema;
}

/**
 * Every `Kms` method (except `close`) by method name, with its AWS-style name and schemas.
 *
 * @example
 * import { Value } from '@sinclair/typebox/value';
 * const { request } = OPERATIONS.encrypt;
 * if (!Value.Check(request, input)) throw new ValidationError([...Value.Errors(request, input)][0]?.message ?? 'invalid');
 */
export const OPERATIONS = {
  createKey: { name: 'CreateKey', aws: true, request: CreateKeyRequest, response: CreateKeyResponse },
  describeKey: { name: 'DescribeKey', aws: true, request: DescribeKeyRequest, response: DescribeKeyResponse },
  listKeys: { name: 'ListKeys', aws: true, request: ListKeysRequest, response: ListKeysResponse },
  updateKeyDescription: {
    name: 'UpdateKeyDescription',
    aws: true,
    request: UpdateKeyDescriptionRequest,
    response: UpdateKeyDescriptionResponse,
  },
  enableKey: { name: 'EnableKey', aws: true, request: EnableKeyRequest, response: EnableKeyResponse },
  disableKey: { name: 'DisableKey', aws: true, request: DisableKeyRequest, response: DisableKeyResponse },
  scheduleKeyDeletion: {
    name: 'ScheduleKeyDeletion',
    aws: true,
    request: ScheduleKeyDeletionRequest,
    response: ScheduleKeyDeletionResponse,
  },
  cancelKeyDeletion: {
    name: 'CancelKeyDeletion',
    aws: true,
    request: CancelKeyDeletionRequest,
    response: CancelKeyDeletionResponse,
  },
  createAlias: { name: 'CreateAlias', aws: true, request: CreateAliasRequest, response: CreateAliasResponse },
  updateAlias: { name: 'UpdateAlias', aws: true, request: UpdateAliasRequest, response: UpdateAliasResponse },
  deleteAlias: { name: 'DeleteAlias', aws: true, request: DeleteAliasRequest, response: DeleteAliasResponse },
  listAliases: { name: 'ListAliases', aws: true, request: ListAliasesRequest, response: ListAliasesResponse },
  tagResource: { name: 'TagResource', aws: true, request: TagResourceRequest, response: TagResourceResponse },
  untagResource: { name: 'UntagResource', aws: true, request: UntagResourceRequest, response: UntagResourceResponse },
  listResourceTags: {
    name: 'ListResourceTags',
    aws: true,
    request: ListResourceTagsRequest,
    response: ListResourceTagsResponse,
  },
  encrypt: { name: 'Encrypt', aws: true, request: EncryptRequest, response: EncryptResponse },
  decrypt: { name: 'Decrypt', aws: true, request: DecryptRequest, response: DecryptResponse },
  reEncrypt: { name: 'ReEncrypt', aws: true, request: ReEncryptRequest, response: ReEncryptResponse },
  generateDataKey: {
    name: 'GenerateDataKey',
    aws: true,
    request: GenerateDataKeyRequest,
    response: GenerateDataKeyResponse,
  },
  generateDataKeyWithoutPlaintext: {
    name: 'GenerateDataKeyWithoutPlaintext',
    aws: true,
    request: GenerateDataKeyWithoutPlaintextRequest,
    response: GenerateDataKeyWithoutPlaintextResponse,
  },
  generateDataKeyPair: {
    name: 'GenerateDataKeyPair',
    aws: true,
    request: GenerateDataKeyPairRequest,
    response: GenerateDataKeyPairResponse,
  },
  generateDataKeyPairWithoutPlaintext: {
    name: 'GenerateDataKeyPairWithoutPlaintext',
    aws: true,
    request: GenerateDataKeyPairWithoutPlaintextRequest,
    response: GenerateDataKeyPairWithoutPlaintextResponse,
  },
  generateRandom: {
    name: 'GenerateRandom',
    aws: true,
    request: GenerateRandomRequest,
    response: GenerateRandomResponse,
  },
  sign: { name: 'Sign', aws: true, request: SignRequest, response: SignResponse },
  verify: { name: 'Verify', aws: true, request: VerifyRequest, response: VerifyResponse },
  getPublicKey: { name: 'GetPublicKey', aws: true, request: GetPublicKeyRequest, response: GetPublicKeyResponse },
  generateMac: { name: 'GenerateMac', aws: true, request: GenerateMacRequest, response: GenerateMacResponse },
  verifyMac: { name: 'VerifyMac', aws: true, request: VerifyMacRequest, response: VerifyMacResponse },
  deriveSharedSecret: {
    name: 'DeriveSharedSecret',
    aws: true,
    request: DeriveSharedSecretRequest,
    response: DeriveSharedSecretResponse,
  },
  enableKeyRotation: {
    name: 'EnableKeyRotation',
    aws: true,
    request: EnableKeyRotationRequest,
    response: EnableKeyRotationResponse,
  },
  disableKeyRotation: {
    name: 'DisableKeyRotation',
    aws: true,
    request: DisableKeyRotationRequest,
    response: DisableKeyRotationResponse,
  },
  getKeyRotationStatus: {
    name: 'GetKeyRotationStatus',
    aws: true,
    request: GetKeyRotationStatusRequest,
    response: GetKeyRotationStatusResponse,
  },
  rotateKeyOnDemand: {
    name: 'RotateKeyOnDemand',
    aws: true,
    request: RotateKeyOnDemandRequest,
    response: RotateKeyOnDemandResponse,
  },
  listKeyRotations: {
    name: 'ListKeyRotations',
    aws: true,
    request: ListKeyRotationsRequest,
    response: ListKeyRotationsResponse,
  },
  getParametersForImport: {
    name: 'GetParametersForImport',
    aws: true,
    request: GetParametersForImportRequest,
    response: GetParametersForImportResponse,
  },
  importKeyMaterial: {
    name: 'ImportKeyMaterial',
    aws: true,
    request: ImportKeyMaterialRequest,
    response: ImportKeyMaterialResponse,
  },
  deleteImportedKeyMaterial: {
    name: 'DeleteImportedKeyMaterial',
    aws: true,
    request: DeleteImportedKeyMaterialRequest,
    response: DeleteImportedKeyMaterialResponse,
  },
  getKeyPolicy: { name: 'GetKeyPolicy', aws: true, request: GetKeyPolicyRequest, response: GetKeyPolicyResponse },
  putKeyPolicy: { name: 'PutKeyPolicy', aws: true, request: PutKeyPolicyRequest, response: PutKeyPolicyResponse },
  deriveKey: { name: 'DeriveKey', aws: false, request: DeriveKeyRequest, response: DeriveKeyResponse },
  exportKey: { name: 'ExportKey', aws: false, request: ExportKeyRequest, response: ExportKeyResponse },
  updateKeyConstraints: {
    name: 'UpdateKeyConstraints',
    aws: false,
    request: UpdateKeyConstraintsRequest,
    response: UpdateKeyConstraintsResponse,
  },
  listAuditRecords: {
    name: 'ListAuditRecords',
    aws: false,
    request: ListAuditRecordsRequest,
    response: ListAuditRecordsResponse,
  },
  verifyAuditChain: {
    name: 'VerifyAuditChain',
    aws: false,
    request: VerifyAuditChainRequest,
    response: VerifyAuditChainResponse,
  },
  createToken: { name: 'CreateToken', aws: false, request: CreateTokenRequest, response: CreateTokenResponse },
  listTokens: { name: 'ListTokens', aws: false, request: ListTokensRequest, response: ListTokensResponse },
  revokeToken: { name: 'RevokeToken', aws: false, request: RevokeTokenRequest, response: RevokeTokenResponse },
  createAccessKey: {
    name: 'CreateAccessKey',
    aws: false,
    request: CreateAccessKeyRequest,
    response: CreateAccessKeyResponse,
  },
  listAccessKeys: {
    name: 'ListAccessKeys',
    aws: false,
    request: ListAccessKeysRequest,
    response: ListAccessKeysResponse,
  },
  revokeAccessKey: {
    name: 'RevokeAccessKey',
    aws: false,
    request: RevokeAccessKeyRequest,
    response: RevokeAccessKeyResponse,
  },
} as const satisfies Record<string, OperationSpec>;

/** A `Kms` method name that is an operation: `'createKey' | 'encrypt' | ...`. */
export type OperationMethod = keyof typeof OPERATIONS;
/** An operation name as AWS spells it: `'CreateKey' | 'Encrypt' | ...`. */
export type OperationName = (typeof OPERATIONS)[OperationMethod]['name'];
