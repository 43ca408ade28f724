// The Kms interface: every key operation Custos offers, implemented in-process (LocalKms) and over HTTP (RemoteKms).
// Must not import anything but the contract's own modules.

import type { Caller } from './caller.js';
import type {
  CancelKeyDeletionRequest,
  CancelKeyDeletionResponse,
  CreateAccessKeyRequest,
  CreateAccessKeyResponse,
  CreateAliasRequest,
  CreateAliasResponse,
  CreateKeyRequest,
  CreateKeyResponse,
  CreateTokenRequest,
  CreateTokenResponse,
  DecryptRequest,
  DecryptResponse,
  DeleteAliasRequest,
  DeleteAliasResponse,
  DeleteImportedKeyMaterialRequest,
  DeleteImportedKeyMaterialResponse,
  DeriveKeyRequest,
  DeriveKeyResponse,
  DeriveSharedSecretRequest,
  DeriveSharedSecretResponse,
  DescribeKeyRequest,
  DescribeKeyResponse,
  DisableKeyRequest,
  DisableKeyResponse,
  DisableKeyRotationRequest,
  DisableKeyRotationResponse,
  EnableKeyRequest,
  EnableKeyResponse,
  EnableKeyRotationRequest,
  EnableKeyRotationResponse,
  EncryptRequest,
  EncryptResponse,
  ExportKeyRequest,
  ExportKeyResponse,
  GenerateDataKeyPairRequest,
  GenerateDataKeyPairResponse,
  GenerateDataKeyPairWithoutPlaintextRequest,
  GenerateDataKeyPairWithoutPlaintextResponse,
  GenerateDataKeyRequest,
  GenerateDataKeyResponse,
  GenerateDataKeyWithoutPlaintextRequest,
  GenerateDataKeyWithoutPlaintextResponse,
  GenerateMacRequest,
  GenerateMacResponse,
  GenerateRandomRequest,
  GenerateRandomResponse,
  GetKeyPolicyRequest,
  GetKeyPolicyResponse,
  GetKeyRotationStatusRequest,
  GetKeyRotationStatusResponse,
  GetParametersForImportRequest,
  GetParametersForImportResponse,
  GetPublicKeyRequest,
  GetPublicKeyResponse,
  ImportKeyMaterialRequest,
  ImportKeyMaterialResponse,
  ListAccessKeysRequest,
  ListAccessKeysResponse,
  ListAliasesRequest,
  ListAliasesResponse,
  ListAuditRecordsRequest,
  ListAuditRecordsResponse,
  ListKeyRotationsRequest,
  ListKeyRotationsResponse,
  ListKeysRequest,
  ListKeysResponse,
  ListResourceTagsRequest,
  ListResourceTagsResponse,
  ListTokensRequest,
  ListTokensResponse,
  PutKeyPolicyRequest,
  PutKeyPolicyResponse,
  ReEncryptRequest,
  ReEncryptResponse,
  RevokeAccessKeyRequest,
  RevokeAccessKeyResponse,
  RevokeTokenRequest,
  RevokeTokenResponse,
  RotateKeyOnDemandRequest,
  RotateKeyOnDemandResponse,
  ScheduleKeyDeletionRequest,
  ScheduleKeyDeletionResponse,
  SignRequest,
  SignResponse,
  TagResourceRequest,
  TagResourceResponse,
  UntagResourceRequest,
  UntagResourceResponse,
  UpdateAliasRequest,
  UpdateAliasResponse,
  UpdateKeyConstraintsRequest,
  UpdateKeyConstraintsResponse,
  UpdateKeyDescriptionRequest,
  UpdateKeyDescriptionResponse,
  VerifyAuditChainRequest,
  VerifyAuditChainResponse,
  VerifyMacRequest,
  VerifyMacResponse,
  VerifyRequest,
  VerifyResponse,
} from './operations/index.js';

/**
 * A Key Management Service. Methods are the AWS KMS operations in camelCase, taking the AWS request
 * fields in camelCase and returning the AWS response fields in camelCase, with `Uint8Array` for binary
 * and `Date` for timestamps; `keyId` in responses is the key ARN, as AWS returns it. Custos adds
 * DeriveKey, ExportKey, UpdateKeyConstraints, ListAuditRecords, VerifyAuditChain, the API token
 * operations CreateToken, ListTokens and RevokeToken, and the AWS access key operations CreateAccessKey,
 * ListAccessKeys and RevokeAccessKey.
 *
 * Every method takes the caller as its optional last argument (the in-process LocalKms defaults it
 * to an administrator; over HTTP the server derives the caller from the request's credentials). Failures are
 * thrown as `KmsError` subclasses with a stable `code` (see `docs/errors.md`), the same with
 * either implementation.
 *
 * @example
 * const caller: Caller = { principal: 'svc-billing', roles: ['key-user'] };
 * const { keyMetadata } = await kms.createKey({ keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' });
 * const dataKey = await kms.generateDataKey(
 *   { keyId: keyMetadata.keyId, keySpec: 'AES_256', encryptionContext: { tenant: 'acme' } },
 *   caller,
 * );
 * // store dataKey.ciphertextBlob, use dataKey.plaintext, then wipe it; later:
 * const { plaintext } = await kms.decrypt(
 *   { ciphertextBlob: dataKey.ciphertextBlob, encryptionContext: { tenant: 'acme' } },
 *   caller,
 * );
 */
export interface Kms {
  // ---- Keys ----

  /** A new key, generated here or awaiting imported material (origin EXTERNAL). */
  createKey(input: CreateKeyRequest, caller?: Caller): Promise<CreateKeyResponse>;
  /** The metadata of one key. */
  describeKey(input: DescribeKeyRequest, caller?: Caller): Promise<DescribeKeyResponse>;
  /** Every key, paged. */
  listKeys(input?: ListKeysRequest, caller?: Caller): Promise<ListKeysResponse>;
  /** Replaces the description of a key. */
  updateKeyDescription(input: UpdateKeyDescriptionRequest, caller?: Caller): Promise<UpdateKeyDescriptionResponse>;
  /** Sets a Disabled key to Enabled. */
  enableKey(input: EnableKeyRequest, caller?: Caller): Promise<EnableKeyResponse>;
  /** Sets an Enabled key to Disabled. */
  disableKey(input: DisableKeyRequest, caller?: Caller): Promise<DisableKeyResponse>;
  /** Puts a key in PendingDeletion; its material is destroyed after the window. */
  scheduleKeyDeletion(input: ScheduleKeyDeletionRequest, caller?: Caller): Promise<ScheduleKeyDeletionResponse>;
  /** Takes a key out of PendingDeletion (it becomes Disabled). */
  cancelKeyDeletion(input: CancelKeyDeletionRequest, caller?: Caller): Promise<CancelKeyDeletionResponse>;
  /** Changes usage constraints; `null` clears one, an absent field leaves it unchanged. */
  updateKeyConstraints(input: UpdateKeyConstraintsRequest, caller?: Caller): Promise<UpdateKeyConstraintsResponse>;
  /** The key material of an exportable key (audited), as a JWK or PEM. */
  exportKey(input: ExportKeyRequest, caller?: Caller): Promise<ExportKeyResponse>;

  // ---- Aliases ----

  /** A friendly name that points at a key. */
  createAlias(input: CreateAliasRequest, caller?: Caller): Promise<CreateAliasResponse>;
  /** Points an existing alias at another key. */
  updateAlias(input: UpdateAliasRequest, caller?: Caller): Promise<UpdateAliasResponse>;
  /** Removes an alias (never the key). */
  deleteAlias(input: DeleteAliasRequest, caller?: Caller): Promise<DeleteAliasResponse>;
  /** Aliases, all or those of one key, paged. */
  listAliases(input?: ListAliasesRequest, caller?: Caller): Promise<ListAliasesResponse>;

  // ---- Tags ----

  /** Adds or overwrites tags on a key. */
  tagResource(input: TagResourceRequest, caller?: Caller): Promise<TagResourceResponse>;
  /** Removes tags from a key by tag key. */
  untagResource(input: UntagResourceRequest, caller?: Caller): Promise<UntagResourceResponse>;
  /** The tags of a key, paged. */
  listResourceTags(input: ListResourceTagsRequest, caller?: Caller): Promise<ListResourceTagsResponse>;

  // ---- Encryption and data keys ----

  /** Encrypts up to 4096 bytes under a key. */
  encrypt(input: EncryptRequest, caller?: Caller): Promise<EncryptResponse>;
  /** Decrypts a ciphertext blob; the key is read from the blob unless given. */
  decrypt(input: DecryptRequest, caller?: Caller): Promise<DecryptResponse>;
  /** Decrypts under one key and encrypts under another without exposing the plaintext. */
  reEncrypt(input: ReEncryptRequest, caller?: Caller): Promise<ReEncryptResponse>;
  /** A fresh data key, returned in plaintext and encrypted under a key. */
  generateDataKey(input: GenerateDataKeyRequest, caller?: Caller): Promise<GenerateDataKeyResponse>;
  /** A fresh data key, returned only encrypted under a key. */
  generateDataKeyWithoutPlaintext(
    input: GenerateDataKeyWithoutPlaintextRequest,
    caller?: Caller,
  ): Promise<GenerateDataKeyWithoutPlaintextResponse>;
  /** A fresh key pair: public key, private key in plaintext (PKCS#8 DER) and encrypted under a key. */
  generateDataKeyPair(input: GenerateDataKeyPairRequest, caller?: Caller): Promise<GenerateDataKeyPairResponse>;
  /** A fresh key pair: public key, and private key only encrypted under a key. */
  generateDataKeyPairWithoutPlaintext(
    input: GenerateDataKeyPairWithoutPlaintextRequest,
    caller?: Caller,
  ): Promise<GenerateDataKeyPairWithoutPlaintextResponse>;
  /** Random bytes from a CSPRNG. */
  generateRandom(input: GenerateRandomRequest, caller?: Caller): Promise<GenerateRandomResponse>;

  // ---- Signing, MAC, key agreement, derivation ----

  /** Signs a message (RAW, up to 4096 bytes) or a digest with an asymmetric key. */
  sign(input: SignRequest, caller?: Caller): Promise<SignResponse>;
  /** Verifies a signature; an invalid one raises INVALID_SIGNATURE (AWS KMSInvalidSignatureException). */
  verify(input: VerifyRequest, caller?: Caller): Promise<VerifyResponse>;
  /** The public half of an asymmetric key, as SPKI DER (AWS) and as a JWK (Custos). */
  getPublicKey(input: GetPublicKeyRequest, caller?: Caller): Promise<GetPublicKeyResponse>;
  /** An HMAC of a message (up to 4096 bytes) with an HMAC key. */
  generateMac(input: GenerateMacRequest, caller?: Caller): Promise<GenerateMacResponse>;
  /** Checks an HMAC; a wrong one raises INVALID_MAC (AWS KMSInvalidMacException). */
  verifyMac(input: VerifyMacRequest, caller?: Caller): Promise<VerifyMacResponse>;
  /** ECDH between a KEY_AGREEMENT key and a peer public key. */
  deriveSharedSecret(input: DeriveSharedSecretRequest, caller?: Caller): Promise<DeriveSharedSecretResponse>;
  /** HKDF or PBKDF2 from a DERIVE_KEY key: derived bytes returned, or stored as a new key. */
  deriveKey(input: DeriveKeyRequest, caller?: Caller): Promise<DeriveKeyResponse>;

  // ---- Rotation ----

  /** Turns on automatic rotation. */
  enableKeyRotation(input: EnableKeyRotationRequest, caller?: Caller): Promise<EnableKeyRotationResponse>;
  /** Turns off automatic rotation. */
  disableKeyRotation(input: DisableKeyRotationRequest, caller?: Caller): Promise<DisableKeyRotationResponse>;
  /** Whether automatic rotation is on, and when the next rotation is. */
  getKeyRotationStatus(input: GetKeyRotationStatusRequest, caller?: Caller): Promise<GetKeyRotationStatusResponse>;
  /** Adds a new key version now. */
  rotateKeyOnDemand(input: RotateKeyOnDemandRequest, caller?: Caller): Promise<RotateKeyOnDemandResponse>;
  /** The rotations (key versions after the first) of a key, paged. */
  listKeyRotations(input: ListKeyRotationsRequest, caller?: Caller): Promise<ListKeyRotationsResponse>;

  // ---- Imported key material ----

  /** A wrapping public key and an import token for ImportKeyMaterial. */
  getParametersForImport(
    input: GetParametersForImportRequest,
    caller?: Caller,
  ): Promise<GetParametersForImportResponse>;
  /** Imports wrapped key material into an EXTERNAL key. */
  importKeyMaterial(input: ImportKeyMaterialRequest, caller?: Caller): Promise<ImportKeyMaterialResponse>;
  /** Deletes imported material; the key goes to PendingImport. */
  deleteImportedKeyMaterial(
    input: DeleteImportedKeyMaterialRequest,
    caller?: Caller,
  ): Promise<DeleteImportedKeyMaterialResponse>;

  // ---- Key policy ----

  /** The key policy document. */
  getKeyPolicy(input: GetKeyPolicyRequest, caller?: Caller): Promise<GetKeyPolicyResponse>;
  /** Replaces the key policy document. */
  putKeyPolicy(input: PutKeyPolicyRequest, caller?: Caller): Promise<PutKeyPolicyResponse>;

  // ---- Audit ----

  /** The hash-chained audit log, oldest first, after a sequence number. */
  listAuditRecords(input?: ListAuditRecordsRequest, caller?: Caller): Promise<ListAuditRecordsResponse>;
  /** Recomputes the audit hash chain; `brokenAt` is the first seq that does not match. */
  verifyAuditChain(input?: VerifyAuditChainRequest, caller?: Caller): Promise<VerifyAuditChainResponse>;

  // ---- API tokens (Custos) ----

  /** A bearer token for the REST API with the given roles; the token is returned only in this response. */
  createToken(input: CreateTokenRequest, caller?: Caller): Promise<CreateTokenResponse>;
  /** The API tokens (never the tokens themselves), paged. */
  listTokens(input?: ListTokensRequest, caller?: Caller): Promise<ListTokensResponse>;
  /** Revokes a token: it stops authenticating at once. */
  revokeToken(input: RevokeTokenRequest, caller?: Caller): Promise<RevokeTokenResponse>;

  // ---- AWS access keys (Custos) ----

  /** An access key pair for the AWS KMS protocol (SigV4) with the given roles; the secret is returned only here. */
  createAccessKey(input: CreateAccessKeyRequest, caller?: Caller): Promise<CreateAccessKeyResponse>;
  /** The access keys (never their secrets), paged. */
  listAccessKeys(input?: ListAccessKeysRequest, caller?: Caller): Promise<ListAccessKeysResponse>;
  /** Revokes an access key: it stops authenticating at once. */
  revokeAccessKey(input: RevokeAccessKeyRequest, caller?: Caller): Promise<RevokeAccessKeyResponse>;

  /** Releases the store, key caches and connections; the instance is unusable afterwards. */
  close(): Promise<void>;
}
