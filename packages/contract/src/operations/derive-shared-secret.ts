// DeriveSharedSecret (AWS KMS DeriveSharedSecret): ECDH between a KEY_AGREEMENT key and a peer public key; Custos's
// `storeAs` keeps the result as a new key (HKDF-SHA256) instead of returning it.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { DeriveKeyStoreAs } from './derive-key.js';
import {
  Binary,
  DryRun,
  GrantTokens,
  KeyAgreementAlgorithmSchema,
  KeyIdString,
  KeyMetadata,
  OriginSchema,
  binary,
} from '../schemas/common.js';

/** DeriveKey's storeAs (spec, usage, description, tags, exportable) plus the HKDF salt and info. */
export const SharedSecretStoreAs = Type.Object(
  {
    ...DeriveKeyStoreAs.properties,
    /** The HKDF salt (default empty: RFC 5869 §2.2 then uses HashLen zero bytes). */
    salt: Type.Optional(binary(0, 1024)),
    /** The HKDF info (default empty); bind the parties and the purpose here (NIST SP 800-56C). */
    info: Type.Optional(binary(0, 1024)),
  },
  { additionalProperties: false },
);
export type SharedSecretStoreAs = Static<typeof SharedSecretStoreAs>;

/** DeriveSharedSecret request. */
export const DeriveSharedSecretRequest = Type.Object(
  {
    keyId: KeyIdString,
    keyAgreementAlgorithm: KeyAgreementAlgorithmSchema,
    /** The peer public key, SubjectPublicKeyInfo DER. */
    publicKey: binary(1, 8192),
    grantTokens: Type.Optional(GrantTokens),
    dryRun: Type.Optional(DryRun),
    /**
     * Custos only (not on the AWS protocol): store HKDF-SHA256(salt, ECDH secret, info) as a new AES or HMAC key
     * instead of returning the secret, as DeriveKey's storeAs (HUKS stores its agreement results).
     */
    storeAs: Type.Optional(SharedSecretStoreAs),
  },
  { additionalProperties: false },
);
export type DeriveSharedSecretRequest = Static<typeof DeriveSharedSecretRequest>;

/** DeriveSharedSecret response. */
export const DeriveSharedSecretResponse = Type.Object({
  keyId: Type.String(),
  /** The raw ECDH secret; absent with storeAs (it never leaves Custos then). */
  sharedSecret: Type.Optional(Binary),
  keyAgreementAlgorithm: KeyAgreementAlgorithmSchema,
  keyOrigin: OriginSchema,
  /** With storeAs: the new key. */
  keyMetadata: Type.Optional(KeyMetadata),
});
export type DeriveSharedSecretResponse = Static<typeof DeriveSharedSecretResponse>;

/** The DeriveSharedSecret operation: POST /v1/keys/:keyId/shared-secret, and TrentService.DeriveSharedSecret on the AWS protocol. */
export const deriveSharedSecretOperation = contractOperation({
  method: 'deriveSharedSecret',
  name: 'DeriveSharedSecret',
  request: DeriveSharedSecretRequest,
  response: DeriveSharedSecretResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/shared-secret' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
