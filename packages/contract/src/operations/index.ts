// The operation registry: one line per operation, each pointing at the row its operations/<op>.ts declares. The Kms
// interface, RemoteKms, the REST routes, OpenAPI and the AWS targets derive from it. Must not import anything but
// the operation files (add an operation: its file, its export line and its registry line here).

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
export * from './encapsulate.js';
export * from './decapsulate.js';
export * from './describe-key.js';
export * from './disable-key.js';
export * from './disable-key-rotation.js';
export * from './enable-key.js';
export * from './enable-key-rotation.js';
export * from './encrypt.js';
export * from './export-key.js';
export * from './generate-data-key.js';
export * from './generate-data-key-pair.js';
export * from './generate-data-key-pair-without-plaintext.js';
export * from './generate-data-key-without-plaintext.js';
export * from './generate-mac.js';
export * from './generate-random.js';
export * from './get-key-policy.js';
export * from './list-key-policies.js';
export * from './get-key-rotation-status.js';
export * from './get-key-usage.js';
export * from './trim-key-versions.js';
export * from './update-min-decryption-version.js';
export * from './get-parameters-for-import.js';
export * from './get-public-key.js';
export * from './import-key-material.js';
export * from './import-public-key.js';
export * from './list-access-keys.js';
export * from './list-aliases.js';
export * from './export-audit-records.js';
export * from './get-audit-public-key.js';
export * from './list-audit-records.js';
export * from './list-key-rotations.js';
export * from './list-keys.js';
export * from './list-resource-tags.js';
export * from './list-tokens.js';
export * from './who-am-i.js';
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
export * from './verify.js';
export * from './prune-audit-records.js';
export * from './advance-dev-clock.js';
export * from './verify-audit-chain.js';
export * from './verify-mac.js';
export * from './add-trusted-certificate.js';
export * from './attest-key.js';
export * from './create-attestation-csr.js';
export * from './get-attestation-roots.js';
export * from './set-attestation-chain.js';
export * from './create-csr.js';
export * from './create-self-signed-certificate.js';
export * from './get-jwk.js';
export * from './list-jwks.js';
export * from './update-key-publish-jwk.js';
export * from './sign-jws.js';
export * from './sign-jwt.js';
export * from './verify-jws.js';
export * from './generate-jwk-key-pair.js';
export * from './import-jwk.js';
export * from './sign-jose.js';
export * from './verify-jose.js';
export * from './encrypt-jwe.js';
export * from './decrypt-jwe.js';
export * from './delete-trusted-certificate.js';
export * from './get-key-certificate.js';
export * from './issue-certificate.js';
export * from './list-trusted-certificates.js';
// Key PINs (key-pins)
export * from './unblock-key-pin.js';
export * from './set-key-certificate.js';
export * from './verify-certificate-chain.js';
export * from './connect-custom-key-store.js';
export * from './create-custom-key-store.js';
export * from './delete-custom-key-store.js';
export * from './describe-custom-key-stores.js';
export * from './disconnect-custom-key-store.js';
export * from './update-custom-key-store.js';
export * from './batch.js';
export * from './list-keyring-policies.js';
export * from './get-keyring-policy.js';
export * from './put-keyring-policy.js';
export * from './delete-keyring-policy.js';
export * from './generate-keyring-master-key.js';
export * from './get-keyring-certificate.js';
export * from './list-keyring-certificates.js';
export * from './create-keyring-csr.js';
export * from './upload-keyring-certificate.js';
export * from './upload-partner-certificate.js';
export * from './generate-keyring-symmetric-key.js';
export * from './revoke-keyring-key.js';
export * from './keyring-encrypt.js';
export * from './keyring-decrypt.js';
export * from './create-grant.js';
export * from './list-grants.js';
export * from './list-retirable-grants.js';
export * from './retire-grant.js';
export * from './revoke-grant.js';

import { operationTable } from '../operation.js';
import { cancelKeyDeletionOperation } from './cancel-key-deletion.js';
import { createAccessKeyOperation } from './create-access-key.js';
import { createAliasOperation } from './create-alias.js';
import { createKeyOperation } from './create-key.js';
import { createTokenOperation } from './create-token.js';
import { decryptOperation } from './decrypt.js';
import { deleteAliasOperation } from './delete-alias.js';
import { deleteImportedKeyMaterialOperation } from './delete-imported-key-material.js';
import { deriveKeyOperation } from './derive-key.js';
import { deriveSharedSecretOperation } from './derive-shared-secret.js';
import { encapsulateOperation } from './encapsulate.js';
import { decapsulateOperation } from './decapsulate.js';
import { describeKeyOperation } from './describe-key.js';
import { disableKeyOperation } from './disable-key.js';
import { disableKeyRotationOperation } from './disable-key-rotation.js';
import { enableKeyOperation } from './enable-key.js';
import { enableKeyRotationOperation } from './enable-key-rotation.js';
import { encryptOperation } from './encrypt.js';
import { exportKeyOperation } from './export-key.js';
import { generateDataKeyOperation } from './generate-data-key.js';
import { generateDataKeyPairOperation } from './generate-data-key-pair.js';
import { generateDataKeyPairWithoutPlaintextOperation } from './generate-data-key-pair-without-plaintext.js';
import { generateDataKeyWithoutPlaintextOperation } from './generate-data-key-without-plaintext.js';
import { generateMacOperation } from './generate-mac.js';
import { generateRandomOperation } from './generate-random.js';
import { getKeyPolicyOperation } from './get-key-policy.js';
import { listKeyPoliciesOperation } from './list-key-policies.js';
import { getKeyRotationStatusOperation } from './get-key-rotation-status.js';
import { getKeyUsageOperation } from './get-key-usage.js';
import { trimKeyVersionsOperation } from './trim-key-versions.js';
import { updateMinDecryptionVersionOperation } from './update-min-decryption-version.js';
import { getParametersForImportOperation } from './get-parameters-for-import.js';
import { getPublicKeyOperation } from './get-public-key.js';
import { importKeyMaterialOperation } from './import-key-material.js';
import { listAccessKeysOperation } from './list-access-keys.js';
import { listAliasesOperation } from './list-aliases.js';
import { exportAuditRecordsOperation } from './export-audit-records.js';
import { getAuditPublicKeyOperation } from './get-audit-public-key.js';
import { listAuditRecordsOperation } from './list-audit-records.js';
import { listKeyRotationsOperation } from './list-key-rotations.js';
import { listKeysOperation } from './list-keys.js';
import { listResourceTagsOperation } from './list-resource-tags.js';
import { listTokensOperation } from './list-tokens.js';
import { whoAmIOperation } from './who-am-i.js';
import { putKeyPolicyOperation } from './put-key-policy.js';
import { reEncryptOperation } from './re-encrypt.js';
import { revokeAccessKeyOperation } from './revoke-access-key.js';
import { revokeTokenOperation } from './revoke-token.js';
import { rotateKeyOnDemandOperation } from './rotate-key-on-demand.js';
import { scheduleKeyDeletionOperation } from './schedule-key-deletion.js';
import { signOperation } from './sign.js';
import { tagResourceOperation } from './tag-resource.js';
import { untagResourceOperation } from './untag-resource.js';
import { updateAliasOperation } from './update-alias.js';
import { updateKeyConstraintsOperation } from './update-key-constraints.js';
import { updateKeyDescriptionOperation } from './update-key-description.js';
import { verifyOperation } from './verify.js';
import { pruneAuditRecordsOperation } from './prune-audit-records.js';
import { advanceDevClockOperation } from './advance-dev-clock.js';
import { verifyAuditChainOperation } from './verify-audit-chain.js';
import { verifyMacOperation } from './verify-mac.js';
import { addTrustedCertificateOperation } from './add-trusted-certificate.js';
import { createCsrOperation } from './create-csr.js';
import { createSelfSignedCertificateOperation } from './create-self-signed-certificate.js';
import { deleteTrustedCertificateOperation } from './delete-trusted-certificate.js';
import { getJwkOperation } from './get-jwk.js';
import { listJwksOperation } from './list-jwks.js';
import { updateKeyPublishJwkOperation } from './update-key-publish-jwk.js';
import { signJwsOperation } from './sign-jws.js';
import { signJwtOperation } from './sign-jwt.js';
import { verifyJwsOperation } from './verify-jws.js';
import { generateJwkKeyPairOperation } from './generate-jwk-key-pair.js';
import { importJwkOperation } from './import-jwk.js';
import { importPublicKeyOperation } from './import-public-key.js';
import { signJoseOperation } from './sign-jose.js';
import { verifyJoseOperation } from './verify-jose.js';
import { encryptJweOperation } from './encrypt-jwe.js';
import { decryptJweOperation } from './decrypt-jwe.js';
import { getKeyCertificateOperation } from './get-key-certificate.js';
import { issueCertificateOperation } from './issue-certificate.js';
import { listTrustedCertificatesOperation } from './list-trusted-certificates.js';
import { setKeyCertificateOperation } from './set-key-certificate.js';
import { verifyCertificateChainOperation } from './verify-certificate-chain.js';
import { connectCustomKeyStoreOperation } from './connect-custom-key-store.js';
import { createCustomKeyStoreOperation } from './create-custom-key-store.js';
import { deleteCustomKeyStoreOperation } from './delete-custom-key-store.js';
import { describeCustomKeyStoresOperation } from './describe-custom-key-stores.js';
import { disconnectCustomKeyStoreOperation } from './disconnect-custom-key-store.js';
import { updateCustomKeyStoreOperation } from './update-custom-key-store.js';
import { attestKeyOperation } from './attest-key.js';
import { createAttestationCsrOperation } from './create-attestation-csr.js';
import { getAttestationRootsOperation } from './get-attestation-roots.js';
import { setAttestationChainOperation } from './set-attestation-chain.js';
import { listKeyringPoliciesOperation } from './list-keyring-policies.js';
import { getKeyringPolicyOperation } from './get-keyring-policy.js';
import { putKeyringPolicyOperation } from './put-keyring-policy.js';
import { deleteKeyringPolicyOperation } from './delete-keyring-policy.js';
import { generateKeyringMasterKeyOperation } from './generate-keyring-master-key.js';
import { getKeyringCertificateOperation } from './get-keyring-certificate.js';
import { listKeyringCertificatesOperation } from './list-keyring-certificates.js';
import { createKeyringCsrOperation } from './create-keyring-csr.js';
import { uploadKeyringCertificateOperation } from './upload-keyring-certificate.js';
import { uploadPartnerCertificateOperation } from './upload-partner-certificate.js';
import { generateKeyringSymmetricKeyOperation } from './generate-keyring-symmetric-key.js';
import { revokeKeyringKeyOperation } from './revoke-keyring-key.js';
import { keyringEncryptOperation } from './keyring-encrypt.js';
import { keyringDecryptOperation } from './keyring-decrypt.js';
import { createGrantOperation } from './create-grant.js';
import { listGrantsOperation } from './list-grants.js';
import { listRetirableGrantsOperation } from './list-retirable-grants.js';
import { retireGrantOperation } from './retire-grant.js';
import { revokeGrantOperation } from './revoke-grant.js';
// Key PINs (key-pins)
import { unblockKeyPinOperation } from './unblock-key-pin.js';
// Batches (batch)
import { batchOperation } from './batch.js';

/**
 * Every `Kms` method (except `close`) by method name: its row (wire name, schemas, route, retry safety, AWS). The
 * doc comment of each line is the method's doc on the Kms interface.
 *
 * @example
 * import { Value } from '@sinclair/typebox/value';
 * const { request } = OPERATIONS.encrypt;
 * if (!Value.Check(request, input)) throw new ValidationError([...Value.Errors(request, input)][0]?.message ?? 'invalid');
 */
export const OPERATIONS = operationTable({
  // Keys

  /** A new key, generated here or awaiting imported material (origin EXTERNAL). */
  createKey: createKeyOperation,
  /** The metadata of one key. */
  describeKey: describeKeyOperation,
  /** Every key, paged. */
  listKeys: listKeysOperation,
  /** Replaces the description of a key. */
  updateKeyDescription: updateKeyDescriptionOperation,
  /** Sets a Disabled key to Enabled. */
  enableKey: enableKeyOperation,
  /** Sets an Enabled key to Disabled. */
  disableKey: disableKeyOperation,
  /** Puts a key in PendingDeletion; its material is destroyed after the window. */
  scheduleKeyDeletion: scheduleKeyDeletionOperation,
  /** Takes a key out of PendingDeletion (it becomes Disabled). */
  cancelKeyDeletion: cancelKeyDeletionOperation,
  /** Changes usage constraints; `null` clears one, an absent field leaves it unchanged. */
  updateKeyConstraints: updateKeyConstraintsOperation,
  /** The key material of an exportable key (audited), as a JWK or PEM. */
  exportKey: exportKeyOperation,

  // Aliases

  /** A friendly name that points at a key. */
  createAlias: createAliasOperation,
  /** Points an existing alias at another key. */
  updateAlias: updateAliasOperation,
  /** Removes an alias (never the key). */
  deleteAlias: deleteAliasOperation,
  /** Aliases, all or those of one key, paged. */
  listAliases: listAliasesOperation,

  // Tags

  /** Adds or overwrites tags on a key. */
  tagResource: tagResourceOperation,
  /** Removes tags from a key by tag key. */
  untagResource: untagResourceOperation,
  /** The tags of a key, paged. */
  listResourceTags: listResourceTagsOperation,

  // Encryption and data keys

  /** Encrypts up to 4096 bytes under a key. */
  encrypt: encryptOperation,
  /** Decrypts a ciphertext blob; the key is read from the blob unless given. */
  decrypt: decryptOperation,
  /** Decrypts under one key and encrypts under another without exposing the plaintext. */
  reEncrypt: reEncryptOperation,
  /** A fresh data key, returned in plaintext and encrypted under a key. */
  generateDataKey: generateDataKeyOperation,
  /** A fresh data key, returned only encrypted under a key. */
  generateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintextOperation,
  /** A fresh key pair: public key, private key in plaintext (PKCS#8 DER) and encrypted under a key. */
  generateDataKeyPair: generateDataKeyPairOperation,
  /** A fresh key pair: public key, and private key only encrypted under a key. */
  generateDataKeyPairWithoutPlaintext: generateDataKeyPairWithoutPlaintextOperation,
  /** Random bytes from a CSPRNG. */
  generateRandom: generateRandomOperation,

  // Signing, MAC, key agreement, derivation

  /** Signs a message (RAW, up to 4096 bytes) or a digest with an asymmetric key. */
  sign: signOperation,
  /** Verifies a signature; an invalid one raises INVALID_SIGNATURE (AWS KMSInvalidSignatureException). */
  verify: verifyOperation,
  /** The public half of an asymmetric key, as SPKI DER (AWS) and as a JWK (Custos). */
  getPublicKey: getPublicKeyOperation,
  /** An HMAC of a message (up to 4096 bytes) with an HMAC key. */
  generateMac: generateMacOperation,
  /** Checks an HMAC; a wrong one raises INVALID_MAC (AWS KMSInvalidMacException). */
  verifyMac: verifyMacOperation,
  /** ECDH between a KEY_AGREEMENT key and a peer public key. */
  deriveSharedSecret: deriveSharedSecretOperation,
  /** A fresh shared secret and its ML-KEM ciphertext under an ENCAPSULATE_DECAPSULATE key. */
  encapsulate: encapsulateOperation,
  /** The shared secret of an ML-KEM ciphertext; a ciphertext of the wrong length raises INVALID_CIPHERTEXT. */
  decapsulate: decapsulateOperation,
  /** HKDF or PBKDF2 from a DERIVE_KEY key: derived bytes returned, or stored as a new key. */
  deriveKey: deriveKeyOperation,

  // Rotation

  /** Turns on automatic rotation. */
  enableKeyRotation: enableKeyRotationOperation,
  /** Turns off automatic rotation. */
  disableKeyRotation: disableKeyRotationOperation,
  /** Whether automatic rotation is on, and when the next rotation is. */
  getKeyRotationStatus: getKeyRotationStatusOperation,
  /** Adds a new key version now. */
  rotateKeyOnDemand: rotateKeyOnDemandOperation,
  /** The rotations (key versions after the first) of a key, paged. */
  listKeyRotations: listKeyRotationsOperation,
  /** Sets the oldest version Decrypt accepts for a symmetric encryption key (Vault's min_decryption_version). */
  updateMinDecryptionVersion: updateMinDecryptionVersionOperation,
  /** Schedules the destruction of the versions below the minimum decryption version, after a pending window. */
  trimKeyVersions: trimKeyVersionsOperation,

  // Usage

  /** Per version and operation, how often a key was used and when last. */
  getKeyUsage: getKeyUsageOperation,

  // Imported key material

  /** A wrapping public key and an import token for ImportKeyMaterial. */
  getParametersForImport: getParametersForImportOperation,
  /** Imports wrapped key material into an EXTERNAL key. */
  importKeyMaterial: importKeyMaterialOperation,
  /** Deletes imported material; the key goes to PendingImport. */
  deleteImportedKeyMaterial: deleteImportedKeyMaterialOperation,

  // Key policy

  /** The key policy document. */
  getKeyPolicy: getKeyPolicyOperation,
  /** Replaces the key policy document (validated; refused if it would lock the caller out, unless bypassed). */
  putKeyPolicy: putKeyPolicyOperation,
  /** The names of the key's policies: `["default"]`. */
  listKeyPolicies: listKeyPoliciesOperation,

  // Audit

  /** The hash-chained audit log, oldest first, after a sequence number. */
  listAuditRecords: listAuditRecordsOperation,
  /** Recomputes the audit hash chain; `brokenAt` is the first seq that does not match. */
  verifyAuditChain: verifyAuditChainOperation,
  /** Deletes the records older than a date that a signed checkpoint covers; the chain stays verifiable. */
  pruneAuditRecords: pruneAuditRecordsOperation,
  /** One page of the log as stored, with its signed checkpoints, for offline verification (up to a prune's anchor). */
  exportAuditRecords: exportAuditRecordsOperation,
  /** The Ed25519 public key that signs the audit checkpoints (PEM, JWK, fingerprint), to pin for offline checks. */
  getAuditPublicKey: getAuditPublicKeyOperation,

  // API tokens (Custos)

  /** A bearer token for the REST API with the given roles; the token is returned only in this response. */
  createToken: createTokenOperation,
  /** The API tokens (never the tokens themselves), paged. */
  listTokens: listTokensOperation,
  /** The caller's principal, roles and what they permit. */
  whoAmI: whoAmIOperation,
  /** Revokes a token: it stops authenticating at once. */
  revokeToken: revokeTokenOperation,

  // AWS access keys (Custos)

  /** An access key pair for the AWS KMS protocol (SigV4) with the given roles; the secret is returned only here. */
  createAccessKey: createAccessKeyOperation,
  /** The access keys (never their secrets), paged. */
  listAccessKeys: listAccessKeysOperation,
  /** Revokes an access key: it stops authenticating at once. */
  revokeAccessKey: revokeAccessKeyOperation,

  // Certificates for keys (Custos)

  /** A PKCS#10 request for an asymmetric signing key, signed by the key in Custos. */
  createCsr: createCsrOperation,
  /** Stores a certificate chain for a key: its leaf must certify the key, and the chain verify to a trust anchor. */
  setKeyCertificate: setKeyCertificateOperation,
  /** The key's certificate chain and its leaf's thumbprints. */
  getKeyCertificate: getKeyCertificateOperation,
  /** A self-signed certificate of a key (a CA root with `isCa`), stored as the key's certificate. */
  createSelfSignedCertificate: createSelfSignedCertificateOperation,
  /** Signs a CSR with a key whose certificate is a CA certificate (Custos as a CA). */
  issueCertificate: issueCertificateOperation,

  // Trust store (Custos)

  /** Pins a certificate as a trust anchor of a domain. */
  addTrustedCertificate: addTrustedCertificateOperation,
  /** The trust anchors, of one domain or all, paged. */
  listTrustedCertificates: listTrustedCertificatesOperation,
  /** Unpins a trust anchor. */
  deleteTrustedCertificate: deleteTrustedCertificateOperation,
  /** Builds and checks a path from a chain's leaf to a trust anchor; a failing chain is an answer, not an error. */
  verifyCertificateChain: verifyCertificateChainOperation,
  // Custom key stores (AWS KMS; on Custos a PKCS#11 token of the server's configured module)

  /** A custom key store on a PKCS#11 token (`cloudHsmClusterId` = token label, `keyStorePassword` = its PIN). */
  createCustomKeyStore: createCustomKeyStoreOperation,
  /** The custom key stores and their connection state, paged, or one by id or name. */
  describeCustomKeyStores: describeCustomKeyStoresOperation,
  /** Connects a custom key store to its token (FAILED with a ConnectionErrorCode when the token refuses). */
  connectCustomKeyStore: connectCustomKeyStoreOperation,
  /** Disconnects a custom key store: its keys are unusable until it is connected again. */
  disconnectCustomKeyStore: disconnectCustomKeyStoreOperation,
  /** Changes a DISCONNECTED store's name, PIN or token label. */
  updateCustomKeyStore: updateCustomKeyStoreOperation,
  /** Deletes a DISCONNECTED custom key store that holds no keys. */
  deleteCustomKeyStore: deleteCustomKeyStoreOperation,

  // JWK and JOSE (Custos)

  /** The public JWK of an asymmetric key (kid, kty, crv, alg, key_ops, and x5c when it has a certificate). */
  getJwk: getJwkOperation,
  /** A JWK Set of the enabled asymmetric keys, optionally those with a tag. */
  listJwks: listJwksOperation,
  /** Whether the key's public JWK is served without a token at /.well-known/jwks.json. */
  updateKeyPublishJwk: updateKeyPublishJwkOperation,
  /** A compact JWS of a payload, signed by the key (alg and kid from the key). */
  signJws: signJwsOperation,
  /** A JWT of a claims set (iat, exp, kid set by Custos). */
  signJwt: signJwtOperation,
  /** Checks a JWS or JWT with the key its kid names; a bad one is `valid: false`. */
  verifyJws: verifyJwsOperation,
  /** A new key named by its JOSE algorithm (the jwk facade's generateKeyPair). */
  generateJwkKeyPair: generateJwkKeyPairOperation,
  /** Imports a private JWK in plaintext (origin EXTERNAL), unless the server forbids it. */
  importJwk: importJwkOperation,
  importPublicKey: importPublicKeyOperation,
  /** The JOSE-form signature of a message (raw r‖s for ES*). */
  signJose: signJoseOperation,
  /** Checks a JOSE-form signature of a message. */
  verifyJose: verifyJoseOperation,
  /** A compact JWE: RSA-OAEP-256 or dir, with A256GCM. */
  encryptJwe: encryptJweOperation,
  /** The plaintext of a compact JWE made for the key. */
  decryptJwe: decryptJweOperation,

  // Key attestation (Custos)

  /** The attestation identity's certificate (X.509 keys) or JWS (secret keys) of a key's properties and a challenge. */
  attestKey: attestKeyOperation,
  /** The trust anchors verifiers pin for this Custos's attestations. */
  getAttestationRoots: getAttestationRootsOperation,
  /** A PKCS#10 request for the attestation key, for an operator's CA. */
  createAttestationCsr: createAttestationCsrOperation,
  /** Replaces the attestation identity's chain with one from an operator's CA (the leaf must certify its key). */
  setAttestationChain: setAttestationChainOperation,
  // Keyrings (Custos; MOSIP key manager)

  /** Every keyring policy (MOSIP key_policy_def), by application id. */
  listKeyringPolicies: listKeyringPoliciesOperation,
  /** One keyring policy. */
  getKeyringPolicy: getKeyringPolicyOperation,
  /** Creates or replaces a keyring policy. */
  putKeyringPolicy: putKeyringPolicyOperation,
  /** Removes a keyring policy (its keys stay and keep decrypting). */
  deleteKeyringPolicy: deleteKeyringPolicyOperation,
  /** The ROOT key or an application's Module key, with its certificate or a CSR; `force` replaces it and re-certifies the keys below. */
  generateKeyringMasterKey: generateKeyringMasterKeyOperation,
  /** The certificate of a keyring's current key (generated on first use when the policy allows). */
  getKeyringCertificate: getKeyringCertificateOperation,
  /** Every generation's certificate of a keyring, newest first. */
  listKeyringCertificates: listKeyringCertificatesOperation,
  /** A PKCS#10 request for a keyring's current key. */
  createKeyringCsr: createKeyringCsrOperation,
  /** An external CA's certificate for a keyring's current key (its public key must match). */
  uploadKeyringCertificate: uploadKeyringCertificateOperation,
  /** A partner's certificate (no private key here): keyring encryption for that keyring uses it. */
  uploadPartnerCertificate: uploadPartnerCertificateOperation,
  /** An AES-256 key in a keyring. */
  generateKeyringSymmetricKey: generateKeyringSymmetricKeyOperation,
  /** Expires a keyring's current Base key at once. */
  revokeKeyringKey: revokeKeyringKeyOperation,
  /** MOSIP hybrid encryption (RSA-OAEP + AES-256-GCM) for a keyring's current Base key or partner certificate. */
  keyringEncrypt: keyringEncryptOperation,
  /** Decrypts MOSIP hybrid bytes with the keyring key the thumbprint names (any generation), or the current key. */
  keyringDecrypt: keyringDecryptOperation,

  // Grants (AWS KMS)

  /** Lets a principal use a key for some operations, optionally under encryption context constraints. */
  createGrant: createGrantOperation,
  /** The grants of a key, optionally one grant or one grantee's, paged. */
  listGrants: listGrantsOperation,
  /** The grants, on any key, that name a principal as retiring principal, paged. */
  listRetirableGrants: listRetirableGrantsOperation,
  /** Deletes a grant named by its token or by key and grant id (retiring principal, grantee, key managers). */
  retireGrant: retireGrantOperation,
  /** Deletes a grant of a key (key managers). */
  revokeGrant: revokeGrantOperation,

  // Key PINs (Custos; SKS PIN policies)

  /** Resets a PIN-protected key's failure counter: an admin without a PUK, a key user with the key's PUK (and a new PIN). */
  unblockKeyPin: unblockKeyPinOperation,

  // Batches (batch)

  /** Up to 1,000 cryptographic calls (encrypt, decrypt, re-encrypt, data keys, sign, verify, MACs) in one request, each with its own result or error. */
  batch: batchOperation,
  // Development mode (Custos; custos server --dev)

  /** Moves a development server's clock forward and runs maintenance (DEV_MODE_REQUIRED elsewhere). */
  advanceDevClock: advanceDevClockOperation,
});

/** A `Kms` method name that is an operation: `'createKey' | 'encrypt' | ...`. */
export type OperationMethod = keyof typeof OPERATIONS;
/** An operation name as AWS spells it: `'CreateKey' | 'Encrypt' | ...`. */
export type OperationName = (typeof OPERATIONS)[OperationMethod]['name'];
