// The service registry: every Kms operation's definition, one line each, checked by the compiler against the contract's
// registry (a missing, misspelt or swapped entry does not compile). Internal operations are not here: their callers
// import them. Must not import api.
import type { OPERATIONS, OperationMethod } from '@custos/contract';
import type { ServiceOperation } from '../define-operation.js';
import { createCustomKeyStore } from './create-custom-key-store.js';
import { describeCustomKeyStores } from './describe-custom-key-stores.js';
import { connectCustomKeyStore } from './connect-custom-key-store.js';
import { disconnectCustomKeyStore } from './disconnect-custom-key-store.js';
import { updateCustomKeyStore } from './update-custom-key-store.js';
import { deleteCustomKeyStore } from './delete-custom-key-store.js';
import { createGrant } from './create-grant.js';
import { listGrants } from './list-grants.js';
import { listRetirableGrants } from './list-retirable-grants.js';
import { retireGrant } from './retire-grant.js';
import { revokeGrant } from './revoke-grant.js';
import { batch } from './batch.js';
import { cancelKeyDeletion } from './cancel-key-deletion.js';
import { createAccessKey } from './create-access-key.js';
import { createAlias } from './create-alias.js';
import { createKey } from './create-key.js';
import { createToken } from './create-token.js';
import { decrypt } from './decrypt.js';
import { deleteAlias } from './delete-alias.js';
import { deleteImportedKeyMaterial } from './delete-imported-key-material.js';
import { deriveKey } from './derive-key.js';
import { deriveSharedSecret } from './derive-shared-secret.js';
import { encapsulate } from './encapsulate.js';
import { decapsulate } from './decapsulate.js';
import { describeKey } from './describe-key.js';
import { disableKey } from './disable-key.js';
import { disableKeyRotation } from './disable-key-rotation.js';
import { enableKey } from './enable-key.js';
import { enableKeyRotation } from './enable-key-rotation.js';
import { encrypt } from './encrypt.js';
import { exportKey } from './export-key.js';
import { generateDataKey } from './generate-data-key.js';
import { generateDataKeyPair } from './generate-data-key-pair.js';
import { generateDataKeyPairWithoutPlaintext } from './generate-data-key-pair-without-plaintext.js';
import { generateDataKeyWithoutPlaintext } from './generate-data-key-without-plaintext.js';
import { generateMac } from './generate-mac.js';
import { generateRandom } from './generate-random.js';
import { getKeyPolicy } from './get-key-policy.js';
import { listKeyPolicies } from './list-key-policies.js';
import { getKeyRotationStatus } from './get-key-rotation-status.js';
import { getKeyUsage } from './get-key-usage.js';
import { trimKeyVersions } from './trim-key-versions.js';
import { updateMinDecryptionVersion } from './update-min-decryption-version.js';
import { getParametersForImport } from './get-parameters-for-import.js';
import { getPublicKey } from './get-public-key.js';
import { importKeyMaterial } from './import-key-material.js';
import { listAccessKeys } from './list-access-keys.js';
import { listAliases } from './list-aliases.js';
import { exportAuditRecords } from './export-audit-records.js';
import { getAuditPublicKey } from './get-audit-public-key.js';
import { listAuditRecords } from './list-audit-records.js';
import { listKeyRotations } from './list-key-rotations.js';
import { listKeys } from './list-keys.js';
import { listResourceTags } from './list-resource-tags.js';
import { listTokens } from './list-tokens.js';
import { whoAmI } from './who-am-i.js';
import { putKeyPolicy } from './put-key-policy.js';
import { reEncrypt } from './re-encrypt.js';
import { revokeAccessKey } from './revoke-access-key.js';
import { revokeToken } from './revoke-token.js';
import { rotateKeyOnDemand } from './rotate-key-on-demand.js';
import { scheduleKeyDeletion } from './schedule-key-deletion.js';
import { sign } from './sign.js';
import { tagResource } from './tag-resource.js';
import { untagResource } from './untag-resource.js';
import { updateAlias } from './update-alias.js';
import { updateKeyConstraints } from './update-key-constraints.js';
import { updateKeyDescription } from './update-key-description.js';
import { verify } from './verify.js';
import { pruneAuditRecords } from './prune-audit-records.js';
import { advanceDevClock } from './advance-dev-clock.js';
import { verifyAuditChain } from './verify-audit-chain.js';
import { verifyMac } from './verify-mac.js';
import { addTrustedCertificate } from './add-trusted-certificate.js';
import { attestKey } from './attest-key.js';
import { createAttestationCsr } from './create-attestation-csr.js';
import { getAttestationRoots } from './get-attestation-roots.js';
import { setAttestationChain } from './set-attestation-chain.js';
import { createCsr } from './create-csr.js';
import { createSelfSignedCertificate } from './create-self-signed-certificate.js';
import { deleteTrustedCertificate } from './delete-trusted-certificate.js';
import { getKeyCertificate } from './get-key-certificate.js';
import { issueCertificate } from './issue-certificate.js';
import { listTrustedCertificates } from './list-trusted-certificates.js';
import { setKeyCertificate } from './set-key-certificate.js';
import { verifyCertificateChain } from './verify-certificate-chain.js';
import { getJwk } from './get-jwk.js';
import { listJwks } from './list-jwks.js';
import { updateKeyPublishJwk } from './update-key-publish-jwk.js';
import { signJws } from './sign-jws.js';
import { signJwt } from './sign-jwt.js';
import { verifyJws } from './verify-jws.js';
import { generateJwkKeyPair } from './generate-jwk-key-pair.js';
import { importJwk } from './import-jwk.js';
import { importPublicKey } from './import-public-key.js';
import { signJose } from './sign-jose.js';
import { verifyJose } from './verify-jose.js';
import { encryptJwe } from './encrypt-jwe.js';
import { decryptJwe } from './decrypt-jwe.js';
// Key PINs (key-pins)
import { unblockKeyPin } from './unblock-key-pin.js';

/** What the registry must be: for every Kms method, the definition branded by that method's own row. */
export type ServiceOperations = { readonly [M in OperationMethod]: ServiceOperation<(typeof OPERATIONS)[M]> };

/** The definition of each Kms operation, by method name: what LocalKms generates its methods from. */ import { listKeyringPolicies } from './list-keyring-policies.js';
import { getKeyringPolicy } from './get-keyring-policy.js';
import { putKeyringPolicy } from './put-keyring-policy.js';
import { deleteKeyringPolicy } from './delete-keyring-policy.js';
import { generateKeyringMasterKey } from './generate-keyring-master-key.js';
import { getKeyringCertificate } from './get-keyring-certificate.js';
import { listKeyringCertificates } from './list-keyring-certificates.js';
import { createKeyringCsr } from './create-keyring-csr.js';
import { uploadKeyringCertificate } from './upload-keyring-certificate.js';
import { uploadPartnerCertificate } from './upload-partner-certificate.js';
import { generateKeyringSymmetricKey } from './generate-keyring-symmetric-key.js';
import { revokeKeyringKey } from './revoke-keyring-key.js';
import { keyringEncrypt } from './keyring-encrypt.js';
import { keyringDecrypt } from './keyring-decrypt.js';

export const SERVICE_OPERATIONS = {
  createKey,
  describeKey,
  listKeys,
  updateKeyDescription,
  enableKey,
  disableKey,
  scheduleKeyDeletion,
  cancelKeyDeletion,
  updateKeyConstraints,
  exportKey,
  createAlias,
  updateAlias,
  deleteAlias,
  listAliases,
  tagResource,
  untagResource,
  listResourceTags,
  encrypt,
  decrypt,
  reEncrypt,
  generateDataKey,
  generateDataKeyWithoutPlaintext,
  generateDataKeyPair,
  generateDataKeyPairWithoutPlaintext,
  generateRandom,
  sign,
  verify,
  getPublicKey,
  generateMac,
  verifyMac,
  deriveSharedSecret,
  encapsulate,
  decapsulate,
  deriveKey,
  enableKeyRotation,
  disableKeyRotation,
  getKeyRotationStatus,
  rotateKeyOnDemand,
  listKeyRotations,
  getKeyUsage,
  trimKeyVersions,
  updateMinDecryptionVersion,
  getParametersForImport,
  importKeyMaterial,
  deleteImportedKeyMaterial,
  getKeyPolicy,
  putKeyPolicy,
  listKeyPolicies,
  listAuditRecords,
  verifyAuditChain,
  pruneAuditRecords,
  exportAuditRecords,
  getAuditPublicKey,
  createToken,
  listTokens,
  whoAmI,
  revokeToken,
  createAccessKey,
  listAccessKeys,
  revokeAccessKey,
  createCsr,
  setKeyCertificate,
  getKeyCertificate,
  createSelfSignedCertificate,
  issueCertificate,
  addTrustedCertificate,
  listTrustedCertificates,
  deleteTrustedCertificate,
  attestKey,
  getAttestationRoots,
  createAttestationCsr,
  setAttestationChain,
  verifyCertificateChain,
  createCustomKeyStore,
  describeCustomKeyStores,
  connectCustomKeyStore,
  disconnectCustomKeyStore,
  updateCustomKeyStore,
  deleteCustomKeyStore,
  createGrant,
  listGrants,
  listRetirableGrants,
  retireGrant,
  revokeGrant,
  getJwk,
  listJwks,
  updateKeyPublishJwk,
  signJws,
  signJwt,
  verifyJws,
  generateJwkKeyPair,
  importJwk,
  importPublicKey,
  signJose,
  verifyJose,
  encryptJwe,
  decryptJwe,
  // Keyrings (MOSIP)
  listKeyringPolicies,
  getKeyringPolicy,
  putKeyringPolicy,
  deleteKeyringPolicy,
  generateKeyringMasterKey,
  getKeyringCertificate,
  listKeyringCertificates,
  createKeyringCsr,
  uploadKeyringCertificate,
  uploadPartnerCertificate,
  generateKeyringSymmetricKey,
  revokeKeyringKey,
  keyringEncrypt,
  keyringDecrypt,
  // Key PINs (key-pins)
  unblockKeyPin,
  // Batches (batch)
  batch,
  // Development mode (custos server --dev)
  advanceDevClock,
} as const satisfies ServiceOperations;
