// The key state machine through LocalKms: every operation of the Kms interface on a key in every state
// (expectations written from AWS KMS "Key states of AWS KMS keys", not from lifecycle.ts), the transitions,
// describeKey's state fields, the pending window, and the sweep that destroys material for good.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type CreateKeyRequest, type ErrorCode, type KeyState } from '@custos/contract';
import { wrapForImport } from '../../src/index.js';
import type { LocalKms } from '../../src/service/local-kms.js';
import { openTestKms, text, utf8, type TestKms } from './helpers.js';
import { parseCertificate } from '../../src/core/certificates/x509.js';
import { outsideCertificate } from '../helpers/x509-outside.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const SqliteDatabase = sqliteDriver();

type Method = keyof typeof OPERATIONS;
type Outcome = 'ok' | ErrorCode;
type Kind = 'aes' | 'aesExportable' | 'hmac' | 'sign' | 'signCa' | 'agree' | 'kem' | 'derive' | 'external' | 'aesPin';

const STATES: readonly KeyState[] = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Destroyed'];
const DAY_MS = 24 * 60 * 60 * 1000;
/** A custom key store id no store has. */
const NO_STORE = 'cks-0123456789abcdef0';

const KIND_SPEC: Record<Kind, CreateKeyRequest> = {
  aes: { keySpec: 'SYMMETRIC_DEFAULT' },
  aesExportable: { keySpec: 'SYMMETRIC_DEFAULT', exportable: true },
  hmac: { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' },
  sign: { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' },
  // A signing key with a self-signed CA certificate, made while it was usable.
  signCa: { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' },
  agree: { keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' },
  kem: { keySpec: 'ML_KEM_512', keyUsage: 'ENCAPSULATE_DECAPSULATE' },
  derive: { keySpec: 'AES_256', keyUsage: 'DERIVE_KEY' },
  external: { keySpec: 'AES_256', keyUsage: 'ENCRYPT_DECRYPT', origin: 'EXTERNAL' },
  // Key PINs (key-pins): a PIN-protected key, for UnblockKeyPin.
  aesPin: {
    keySpec: 'SYMMETRIC_DEFAULT',
    pinPolicy: { minLength: 4, maxLength: 8, format: 'numeric', retryLimit: 3 },
    pin: '2468',
  },
};

/** A key in one state, with what its builders need: an alias, and artifacts made while it was usable. */
interface Fixture {
  readonly keyId: string;
  readonly alias: string;
  readonly blob: Uint8Array;
  readonly signature: Uint8Array;
  readonly mac: Uint8Array;
  readonly importToken: Uint8Array;
  readonly wrappedMaterial: Uint8Array;
  /** signCa: the key's own certificate (PEM); otherwise a placeholder. */
  readonly certificate: string;
  /** A grant made on the key while it was live (RetireGrant, RevokeGrant). */
  readonly grantId: string;
}

interface BuildContext {
  readonly kms: LocalKms;
  readonly f: Fixture;
  /** An alias pointing at a fresh Enabled key of the same kind (UpdateAlias needs one to move). */
  anchorAlias(): Promise<string>;
  /** A fresh Enabled symmetric key (ReEncrypt's destination). */
  freshAes(): Promise<string>;
  uniqueAlias(): string;
}

interface Builder {
  /** null: the operation takes no key; it is called once and must succeed. */
  readonly kind: Kind | null;
  build(ctx: BuildContext): unknown; // a value or a promise of one
}

const message = utf8('lifecycle message');
const peerPublicKey = new Uint8Array(
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }),
);

/** A minimal valid input for every Kms operation, by method name. A missing entry fails the suite. */
const BUILDERS: Record<string, Builder> = {
  createKey: { kind: null, build: () => ({ keySpec: 'SYMMETRIC_DEFAULT' }) },
  listKeys: { kind: null, build: () => ({}) },
  generateRandom: { kind: null, build: () => ({ numberOfBytes: 16 }) },
  verifyAuditChain: { kind: null, build: () => ({}) },
  pruneAuditRecords: { kind: null, build: () => ({ before: new Date(0) }) },
  exportAuditRecords: { kind: null, build: () => ({ before: new Date(0) }) },
  getAuditPublicKey: { kind: null, build: () => ({}) },
  createToken: { kind: null, build: () => ({ roles: ['key-user'] }) },
  listTokens: { kind: null, build: () => ({}) },
  whoAmI: { kind: null, build: () => ({}) },
  revokeToken: {
    kind: null,
    build: async ({ kms }) => ({ tokenId: (await kms.createToken({ roles: ['key-user'] })).tokenId }),
  },
  createAccessKey: { kind: null, build: () => ({ roles: ['key-user'] }) },
  listAccessKeys: { kind: null, build: () => ({}) },
  revokeAccessKey: {
    kind: null,
    build: async ({ kms }) => ({ accessKeyId: (await kms.createAccessKey({ roles: ['key-user'] })).accessKeyId }),
  },
  // Custom key stores hold no key of these states; this server has no PKCS#11 module (test/service/hsm covers them).
  createCustomKeyStore: {
    kind: null,
    build: () => ({
      customKeyStoreName: 'lc',
      cloudHsmClusterId: 'lc',
      keyStorePassword: 'lc-pin',
      trustAnchorCertificate: 'x',
    }),
  },
  describeCustomKeyStores: { kind: null, build: () => ({}) },
  connectCustomKeyStore: { kind: null, build: () => ({ customKeyStoreId: NO_STORE }) },
  disconnectCustomKeyStore: { kind: null, build: () => ({ customKeyStoreId: NO_STORE }) },
  updateCustomKeyStore: { kind: null, build: () => ({ customKeyStoreId: NO_STORE, newCustomKeyStoreName: 'lc' }) },
  deleteCustomKeyStore: { kind: null, build: () => ({ customKeyStoreId: NO_STORE }) },
  describeKey: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  updateKeyDescription: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, description: 'changed' }) },
  enableKey: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  disableKey: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  // force: the fixture key was used a moment ago (its blob), which the native API otherwise refuses (KEY_RECENTLY_USED).
  scheduleKeyDeletion: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, pendingWindowInDays: 7, force: true }) },
  cancelKeyDeletion: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  createAlias: { kind: 'aes', build: (c) => ({ aliasName: c.uniqueAlias(), targetKeyId: c.f.keyId }) },
  updateAlias: { kind: 'aes', build: async (c) => ({ aliasName: await c.anchorAlias(), targetKeyId: c.f.keyId }) },
  deleteAlias: { kind: 'aes', build: ({ f }) => ({ aliasName: f.alias }) },
  listAliases: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  createGrant: {
    kind: 'aes',
    build: ({ f }) => ({ keyId: f.keyId, granteePrincipal: 'lc', operations: ['Encrypt'] }),
  },
  listGrants: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  listRetirableGrants: { kind: null, build: () => ({ retiringPrincipal: 'lc' }) },
  retireGrant: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, grantId: f.grantId }) },
  revokeGrant: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, grantId: f.grantId }) },
  tagResource: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, tags: [{ tagKey: 'team', tagValue: 'blue' }] }) },
  untagResource: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, tagKeys: ['team'] }) },
  listResourceTags: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  encrypt: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, plaintext: message }) },
  decrypt: { kind: 'aes', build: ({ f }) => ({ ciphertextBlob: f.blob }) },
  reEncrypt: { kind: 'aes', build: async (c) => ({ ciphertextBlob: c.f.blob, destinationKeyId: await c.freshAes() }) },
  generateDataKey: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, keySpec: 'AES_256' }) },
  generateDataKeyWithoutPlaintext: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, numberOfBytes: 32 }) },
  generateDataKeyPair: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, keyPairSpec: 'ECC_NIST_P256' }) },
  generateDataKeyPairWithoutPlaintext: {
    kind: 'aes',
    build: ({ f }) => ({ keyId: f.keyId, keyPairSpec: 'ECC_NIST_P256' }),
  },
  sign: { kind: 'sign', build: ({ f }) => ({ keyId: f.keyId, message, signingAlgorithm: 'ECDSA_SHA_256' }) },
  verify: {
    kind: 'sign',
    build: ({ f }) => ({ keyId: f.keyId, message, signature: f.signature, signingAlgorithm: 'ECDSA_SHA_256' }),
  },
  getPublicKey: { kind: 'sign', build: ({ f }) => ({ keyId: f.keyId }) },
  generateMac: { kind: 'hmac', build: ({ f }) => ({ keyId: f.keyId, message, macAlgorithm: 'HMAC_SHA_256' }) },
  verifyMac: {
    kind: 'hmac',
    build: ({ f }) => ({ keyId: f.keyId, message, mac: f.mac, macAlgorithm: 'HMAC_SHA_256' }),
  },
  deriveSharedSecret: {
    kind: 'agree',
    build: ({ f }) => ({ keyId: f.keyId, keyAgreementAlgorithm: 'ECDH', publicKey: peerPublicKey }),
  },
  encapsulate: { kind: 'kem', build: ({ f }) => ({ keyId: f.keyId, encapsulationAlgorithm: 'ML_KEM' }) },
  decapsulate: {
    kind: 'kem',
    build: ({ f }) => ({
      keyId: f.keyId,
      sharedSecretCiphertextBlob: new Uint8Array(768),
      encapsulationAlgorithm: 'ML_KEM',
    }),
  },
  deriveKey: {
    kind: 'derive',
    build: ({ f }) => ({ keyId: f.keyId, derivationAlgorithm: 'HKDF_SHA_256', salt: utf8('salt'), numberOfBytes: 32 }),
  },
  enableKeyRotation: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  disableKeyRotation: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  getKeyRotationStatus: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  rotateKeyOnDemand: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  listKeyRotations: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  getKeyUsage: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  batch: { kind: 'aes', build: ({ f }) => ({ items: [{ encrypt: { keyId: f.keyId, plaintext: message } }] }) },
  updateMinDecryptionVersion: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, minDecryptionVersion: 1 }) },
  trimKeyVersions: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, pendingWindowInDays: 7 }) },
  getParametersForImport: {
    kind: 'external',
    build: ({ f }) => ({ keyId: f.keyId, wrappingAlgorithm: 'RSAES_OAEP_SHA_256', wrappingKeySpec: 'RSA_2048' }),
  },
  importKeyMaterial: {
    kind: 'external',
    build: ({ f }) => ({ keyId: f.keyId, importToken: f.importToken, encryptedKeyMaterial: f.wrappedMaterial }),
  },
  deleteImportedKeyMaterial: { kind: 'external', build: ({ f }) => ({ keyId: f.keyId }) },
  getKeyPolicy: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  listKeyPolicies: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  putKeyPolicy: {
    kind: 'aes',
    build: ({ f }) => ({
      keyId: f.keyId,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::000000000000:root' },
          Action: 'kms:*',
          Resource: '*',
        },
      }),
    }),
  },
  exportKey: { kind: 'aesExportable', build: ({ f }) => ({ keyId: f.keyId, format: 'JWK' }) },
  updateKeyConstraints: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, maxUses: 1000 }) },
  listAuditRecords: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId }) },
  createCsr: { kind: 'sign', build: ({ f }) => ({ keyId: f.keyId, subject: 'CN=lifecycle' }) },
  setKeyCertificate: { kind: 'signCa', build: ({ f }) => ({ keyId: f.keyId, certificateChain: [f.certificate] }) },
  getKeyCertificate: { kind: 'signCa', build: ({ f }) => ({ keyId: f.keyId }) },
  createSelfSignedCertificate: {
    kind: 'sign',
    build: ({ f }) => ({ keyId: f.keyId, subject: 'CN=lifecycle', validityDays: 1 }),
  },
  issueCertificate: {
    kind: 'signCa',
    build: async ({ kms, f }) => ({ keyId: f.keyId, csr: await lifecycleCsr(kms), validityDays: 1 }),
  },
  addTrustedCertificate: {
    kind: null,
    build: async ({ kms }) => ({ certificate: await lifecycleCertificate(kms), domain: `lc-${randomUUID()}` }),
  },
  listTrustedCertificates: { kind: null, build: () => ({}) },
  deleteTrustedCertificate: {
    kind: null,
    build: async ({ kms }) => ({
      id: (await kms.addTrustedCertificate({ certificate: await lifecycleCertificate(kms), domain: 'lc-delete' })).id,
    }),
  },
  verifyCertificateChain: {
    kind: null,
    build: async ({ kms }) => ({ certificateChain: [await lifecycleCertificate(kms)] }),
  },
  getJwk: { kind: 'sign', build: ({ f }) => ({ keyId: f.keyId }) },
  listJwks: { kind: null, build: () => ({}) },
  updateKeyPublishJwk: { kind: 'sign', build: ({ f }) => ({ keyId: f.keyId, publishJwk: true }) },
  signJws: { kind: 'sign', build: ({ f }) => ({ keyId: f.keyId, payload: 'aGk' }) },
  signJwt: { kind: 'sign', build: ({ f }) => ({ keyId: f.keyId, claims: { sub: 'lifecycle' } }) },
  // A JWS naming the key (its signature is not valid: verifying it is still a use of the key).
  verifyJws: {
    kind: 'sign',
    build: ({ f }) => ({
      jws: `${Buffer.from(JSON.stringify({ alg: 'ES256', kid: f.keyId })).toString('base64url')}.aGk.${Buffer.from(
        f.signature,
      ).toString('base64url')}`,
    }),
  },
  generateJwkKeyPair: { kind: null, build: () => ({ alg: 'ES256' }) },
  importJwk: {
    kind: null,
    build: () => ({ jwk: generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) }),
  },
  importPublicKey: {
    kind: null,
    build: () => ({
      publicKey: new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' })),
      keyUsage: 'SIGN_VERIFY',
    }),
  },
  signJose: { kind: 'sign', build: ({ f }) => ({ keyId: f.keyId, message }) },
  verifyJose: { kind: 'sign', build: ({ f }) => ({ keyId: f.keyId, message, signature: randomBytes(64) }) },
  encryptJwe: { kind: 'aes', build: ({ f }) => ({ keyId: f.keyId, plaintext: message }) },
  // A JWE made while the key was usable when it still is; else a well-formed one the state check refuses first.
  decryptJwe: {
    kind: 'aes',
    build: async ({ kms, f }) => ({
      keyId: f.keyId,
      jwe: await kms.encryptJwe({ keyId: f.keyId, plaintext: message }).then(
        (r) => r.jwe,
        () => 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA',
      ),
    }),
  },
  attestKey: { kind: 'sign', build: ({ f }) => ({ keyId: f.keyId, challenge: new Uint8Array(16) }) },
  getAttestationRoots: { kind: null, build: () => ({}) },
  createAttestationCsr: { kind: null, build: () => ({}) },
  unblockKeyPin: { kind: 'aesPin', build: ({ f }) => ({ keyId: f.keyId }) },
  // Development mode (the suite's LocalKms is in it): moving the clock by nothing.
  advanceDevClock: { kind: null, build: () => ({ advanceSeconds: 0 }) },
  setAttestationChain: {
    kind: null,
    build: async ({ kms }) => {
      const [root] = (await kms.getAttestationRoots({})).certificates;
      const publicKey = new Uint8Array(parseCertificate(root!).publicKey.rawData);
      // Valid for years: the test's clock runs ahead to walk the deletion windows.
      const ca = await outsideCertificate({ subject: 'CN=lifecycle operator CA', toDays: 3650 });
      const leaf = await outsideCertificate({ subject: 'CN=attestation', issuer: ca, publicKey, toDays: 3650 });
      return { certificateChain: [leaf.pem, ca.pem] };
    },
  }, // Keyrings (MOSIP): operations on no key, each called once and must succeed.
  listKeyringPolicies: { kind: null, build: () => ({}) },
  getKeyringPolicy: { kind: null, build: () => ({ applicationId: 'REGISTRATION' }) },
  putKeyringPolicy: { kind: null, build: () => ({ applicationId: 'LC_PUT', validityDays: 30, preExpireDays: 1 }) },
  deleteKeyringPolicy: {
    kind: null,
    build: async ({ kms }) => {
      await kms.putKeyringPolicy({ applicationId: 'LC_DELETE', validityDays: 30, preExpireDays: 1 });
      return { applicationId: 'LC_DELETE' };
    },
  },
  generateKeyringMasterKey: { kind: null, build: () => ({ applicationId: 'RESIDENT', objectType: 'CERTIFICATE' }) },
  getKeyringCertificate: { kind: null, build: () => ({ applicationId: 'REGISTRATION', referenceId: 'lc' }) },
  listKeyringCertificates: { kind: null, build: () => ({ applicationId: 'REGISTRATION' }) },
  createKeyringCsr: { kind: null, build: () => ({ applicationId: 'REGISTRATION', referenceId: 'lc' }) },
  uploadKeyringCertificate: {
    kind: null,
    build: async ({ kms }) => {
      const ring = { applicationId: 'REGISTRATION', referenceId: 'lc-upload' };
      return { ...ring, certificate: (await kms.getKeyringCertificate(ring)).certificate };
    },
  },
  uploadPartnerCertificate: {
    kind: null,
    build: async ({ kms }) => ({
      applicationId: 'RESIDENT',
      referenceId: 'lc-partner',
      certificate: (await kms.getKeyringCertificate({ applicationId: 'ID_REPO', referenceId: 'lc' })).certificate,
    }),
  },
  generateKeyringSymmetricKey: { kind: null, build: () => ({ applicationId: 'KERNEL', referenceId: 'lc-sym' }) },
  revokeKeyringKey: {
    kind: null,
    build: async ({ kms }) => {
      const ring = { applicationId: 'PMS', referenceId: 'lc-revoke' };
      await kms.getKeyringCertificate(ring);
      return ring;
    },
  },
  keyringEncrypt: { kind: null, build: () => ({ applicationId: 'REGISTRATION', referenceId: 'lc', data: message }) },
  keyringDecrypt: {
    kind: null,
    build: async ({ kms }) => {
      const ring = { applicationId: 'REGISTRATION', referenceId: 'lc-decrypt' };
      return { ...ring, ciphertext: (await kms.keyringEncrypt({ ...ring, data: message })).ciphertext };
    },
  },
};

/** A fresh Enabled signing key's CSR. */
async function lifecycleCsr(kms: LocalKms): Promise<string> {
  const { keyId } = (await kms.createKey(KIND_SPEC.sign)).keyMetadata;
  return (await kms.createCsr({ keyId, subject: 'CN=lifecycle leaf' })).csr;
}

/** A fresh self-signed CA certificate. */
async function lifecycleCertificate(kms: LocalKms): Promise<string> {
  const { keyId } = (await kms.createKey(KIND_SPEC.sign)).keyMetadata;
  return (await kms.createSelfSignedCertificate({ keyId, subject: 'CN=lifecycle CA', validityDays: 1, isCa: true }))
    .certificate;
}

// ---- The expectation table, from AWS KMS's key state table (Destroyed is Custos's state after the sweep). ----
const IKS = 'INVALID_KEY_STATE';
type Row = Record<KeyState, Outcome>;
const row = (
  enabled: Outcome,
  disabled: Outcome,
  pendingDeletion: Outcome,
  pendingImport: Outcome,
  destroyed: Outcome,
): Row => ({
  Enabled: enabled,
  Disabled: disabled,
  PendingDeletion: pendingDeletion,
  PendingImport: pendingImport,
  Destroyed: destroyed,
});
/** Cryptographic use: DisabledException when disabled, KMSInvalidStateException when pending deletion/import. */
const USE = row('ok', 'KEY_DISABLED', IKS, IKS, IKS);
/** Reads work in every state. */
const READ = row('ok', 'ok', 'ok', 'ok', 'ok');
/** Management of a live key: refused while pending deletion (AWS [3]) and once destroyed. */
const MANAGE = row('ok', 'ok', IKS, 'ok', IKS);
/** EnableKey/DisableKey: need material (AWS [5] pending import, [3] pending deletion). */
const TOGGLE = row('ok', 'ok', IKS, IKS, IKS);

/** Per key state; `'ok'` or an error code for an operation on no key. */
const EXPECT: Record<string, Row | Outcome> = {
  createKey: 'ok',
  listKeys: 'ok',
  generateRandom: 'ok',
  verifyAuditChain: 'ok',
  pruneAuditRecords: 'ok',
  exportAuditRecords: 'ok',
  getAuditPublicKey: 'ok',
  createToken: 'ok',
  listTokens: 'ok',
  whoAmI: 'ok',
  revokeToken: 'ok',
  createAccessKey: 'ok',
  listAccessKeys: 'ok',
  revokeAccessKey: 'ok',
  createCustomKeyStore: 'UNSUPPORTED',
  describeCustomKeyStores: 'ok',
  connectCustomKeyStore: 'CUSTOM_KEY_STORE_NOT_FOUND',
  disconnectCustomKeyStore: 'CUSTOM_KEY_STORE_NOT_FOUND',
  updateCustomKeyStore: 'CUSTOM_KEY_STORE_NOT_FOUND',
  deleteCustomKeyStore: 'CUSTOM_KEY_STORE_NOT_FOUND',
  describeKey: READ,
  updateKeyDescription: MANAGE,
  enableKey: TOGGLE,
  disableKey: TOGGLE,
  scheduleKeyDeletion: MANAGE,
  cancelKeyDeletion: row(IKS, IKS, 'ok', IKS, IKS),
  createAlias: MANAGE,
  updateAlias: MANAGE,
  // DeleteAlias never looks at the key; the sweep removed a destroyed key's aliases.
  deleteAlias: row('ok', 'ok', 'ok', 'ok', 'ALIAS_NOT_FOUND'),
  listAliases: READ,
  // AWS: CreateGrant on Enabled, Disabled and PendingImport keys; grants are listed, retired and revoked in any state.
  createGrant: MANAGE,
  listGrants: READ,
  listRetirableGrants: 'ok',
  retireGrant: READ,
  revokeGrant: READ,
  tagResource: MANAGE,
  untagResource: MANAGE,
  listResourceTags: READ,
  encrypt: USE,
  decrypt: USE,
  reEncrypt: USE,
  generateDataKey: USE,
  generateDataKeyWithoutPlaintext: USE,
  generateDataKeyPair: USE,
  generateDataKeyPairWithoutPlaintext: USE,
  sign: USE,
  verify: USE,
  getPublicKey: USE,
  generateMac: USE,
  verifyMac: USE,
  deriveSharedSecret: USE,
  encapsulate: USE,
  decapsulate: USE,
  deriveKey: USE,
  enableKeyRotation: USE,
  disableKeyRotation: USE,
  getKeyRotationStatus: READ,
  rotateKeyOnDemand: USE,
  listKeyRotations: READ,
  getKeyUsage: READ,
  // The batch itself answers in every state; its item carries the state's error (test/service/batch.test.ts).
  batch: READ,
  updateMinDecryptionVersion: TOGGLE,
  // A fixture key has one version, so nothing to trim (VALIDATION_ERROR) where the state allows it; usage tests trim.
  trimKeyVersions: row('VALIDATION_ERROR', 'VALIDATION_ERROR', IKS, IKS, IKS),
  getParametersForImport: MANAGE,
  importKeyMaterial: MANAGE,
  // AWS: allowed while PendingDeletion (the state stays PendingDeletion); no effect while PendingImport.
  deleteImportedKeyMaterial: row('ok', 'ok', 'ok', 'ok', IKS),
  getKeyPolicy: READ,
  listKeyPolicies: READ,
  // AWS: PutKeyPolicy works in every state, PendingDeletion included.
  putKeyPolicy: row('ok', 'ok', 'ok', 'ok', IKS),
  exportKey: USE,
  updateKeyConstraints: MANAGE,
  listAuditRecords: READ,
  createCsr: USE,
  // Needs the key's public key: a key with material, as EnableKey/DisableKey.
  setKeyCertificate: TOGGLE,
  // A read of what is stored; a PendingImport key never had a certificate made.
  getKeyCertificate: row('ok', 'ok', 'ok', 'NOT_FOUND', 'ok'),
  createSelfSignedCertificate: USE,
  issueCertificate: USE,
  addTrustedCertificate: 'ok',
  listTrustedCertificates: 'ok',
  deleteTrustedCertificate: 'ok',
  verifyCertificateChain: 'ok',
  getJwk: USE,
  listJwks: 'ok',
  updateKeyPublishJwk: MANAGE,
  signJws: USE,
  signJwt: USE,
  verifyJws: USE,
  generateJwkKeyPair: 'ok',
  importJwk: 'ok',
  importPublicKey: 'ok',
  signJose: USE,
  verifyJose: USE,
  encryptJwe: USE,
  decryptJwe: USE,
  // Its properties include the state: a key with material, Enabled or Disabled.
  attestKey: TOGGLE,
  getAttestationRoots: 'ok',
  createAttestationCsr: 'ok',
  setAttestationChain: 'ok',
  listKeyringPolicies: 'ok',
  getKeyringPolicy: 'ok',
  putKeyringPolicy: 'ok',
  deleteKeyringPolicy: 'ok',
  generateKeyringMasterKey: 'ok',
  getKeyringCertificate: 'ok',
  listKeyringCertificates: 'ok',
  createKeyringCsr: 'ok',
  uploadKeyringCertificate: 'ok',
  uploadPartnerCertificate: 'ok',
  generateKeyringSymmetricKey: 'ok',
  revokeKeyringKey: 'ok',
  keyringEncrypt: 'ok',
  keyringDecrypt: 'ok',
  // Key PINs (key-pins): a live key, as the other management calls.
  unblockKeyPin: MANAGE,
  // Development mode: on no key.
  advanceDevClock: 'ok',
};

const METHODS = Object.keys(OPERATIONS) as Method[];

/** Where a result does not match its operation's response schema (the contract RemoteKms and the API rely on). */
function schemaErrors(method: Method, result: unknown): string[] {
  const schema = OPERATIONS[method].response;
  return [...Value.Errors(schema, result)].map((e) => `${e.path || '/'}: ${e.message}`);
}

describe('lifecycle: every operation in every key state', () => {
  let t: TestKms;
  let counter = 0;
  beforeAll(async () => {
    // Development mode, for AdvanceDevClock; the clock stays the test's (`now` wins over the development clock).
    t = await openTestKms({ dev: {} });
  });
  afterAll(async () => t.cleanup());

  const uniqueAlias = () => `alias/lc-${++counter}`;

  /** Builds a key of `kind` in `state`; a Destroyed key advances the clock past its window and runs the sweep. */
  async function build(kind: Kind, state: KeyState): Promise<Fixture> {
    const kms = t.kms;
    const external = kind === 'external' || state === 'PendingImport';
    const spec = { ...KIND_SPEC[kind], ...(external ? { origin: 'EXTERNAL' as const } : {}) };
    const { keyMetadata } = await kms.createKey(spec);
    const keyId = keyMetadata.keyId;
    const alias = uniqueAlias();
    await kms.createAlias({ aliasName: alias, targetKeyId: keyId });
    const { grantId } = await kms.createGrant({ keyId, granteePrincipal: 'lc', operations: ['DescribeKey'] });
    let importToken: Uint8Array = new Uint8Array([1, ...randomBytes(16)]);
    let wrappedMaterial: Uint8Array = randomBytes(256);
    if (kind === 'external') {
      const params = await kms.getParametersForImport({
        keyId,
        wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        wrappingKeySpec: 'RSA_2048',
      });
      const material = randomBytes(32);
      importToken = params.importToken;
      wrappedMaterial = wrapForImport('RSAES_OAEP_SHA_256', params.publicKey, material);
      if (state !== 'PendingImport') {
        await kms.importKeyMaterial({ keyId, importToken, encryptedKeyMaterial: wrappedMaterial });
        // Import tokens are single-use: the re-import under test gets a token of its own, with the same material.
        const again = await kms.getParametersForImport({
          keyId,
          wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          wrappingKeySpec: 'RSA_2048',
        });
        importToken = again.importToken;
        wrappedMaterial = wrapForImport('RSAES_OAEP_SHA_256', again.publicKey, material);
      }
    }
    const usable = state !== 'PendingImport';
    const certificate =
      usable && kind === 'signCa'
        ? (await kms.createSelfSignedCertificate({ keyId, subject: 'CN=lifecycle CA', validityDays: 30, isCa: true }))
            .certificate
        : 'placeholder';
    const fakeBlob = new Uint8Array([
      1,
      ...Buffer.from(keyId.replaceAll('-', ''), 'hex'),
      0,
      0,
      0,
      1,
      ...randomBytes(12 + 8 + 16),
    ]);
    const blob =
      usable && (kind === 'aes' || kind === 'external')
        ? (await kms.encrypt({ keyId, plaintext: message })).ciphertextBlob
        : fakeBlob;
    const signature =
      usable && (kind === 'sign' || kind === 'signCa')
        ? (await kms.sign({ keyId, message, signingAlgorithm: 'ECDSA_SHA_256' })).signature
        : randomBytes(64);
    const mac =
      usable && kind === 'hmac'
        ? (await kms.generateMac({ keyId, message, macAlgorithm: 'HMAC_SHA_256' })).mac
        : randomBytes(32);
    if (state === 'Disabled') await kms.disableKey({ keyId });
    if (state === 'PendingDeletion') await kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 30, force: true });
    if (state === 'Destroyed') {
      await kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 1, force: true });
      t.clock.advanceDays(2);
      const report = await kms.runMaintenance();
      expect(report.destroyed).toBeGreaterThanOrEqual(1);
    }
    expect((await kms.describeKey({ keyId })).keyMetadata.keyState).toBe(state);
    return { keyId, alias, blob, signature, mac, importToken, wrappedMaterial, certificate, grantId };
  }

  async function context(kind: Kind, f: Fixture): Promise<BuildContext> {
    return {
      kms: t.kms,
      f,
      uniqueAlias,
      async anchorAlias() {
        const { keyMetadata } = await t.kms.createKey(KIND_SPEC[kind]);
        const name = uniqueAlias();
        await t.kms.createAlias({ aliasName: name, targetKeyId: keyMetadata.keyId });
        return name;
      },
      async freshAes() {
        return (await t.kms.createKey({})).keyMetadata.keyId;
      },
    };
  }

  async function call(method: Method, input: unknown): Promise<unknown> {
    const fn = (t.kms as unknown as Record<Method, (input: unknown) => Promise<unknown>>)[method];
    return fn(input);
  }

  it('has an input builder and an expectation row for every operation of the Kms interface', () => {
    const missingBuilders = METHODS.filter((m) => !BUILDERS[m]);
    const missingRows = METHODS.filter((m) => !EXPECT[m]);
    expect(missingBuilders).toEqual([]);
    expect(missingRows).toEqual([]);
    expect(Object.keys(BUILDERS).filter((m) => !(m in OPERATIONS))).toEqual([]);
  });

  for (const method of METHODS) {
    it(`${method}: succeeds (with a response matching its schema) or fails with the AWS key-state error in each state`, async () => {
      const builder = BUILDERS[method];
      const expected = EXPECT[method];
      expect(builder, `no input builder for ${method}`).toBeDefined();
      expect(expected, `no expectation for ${method}`).toBeDefined();
      if (builder!.kind === null || expected === 'ok') {
        expect(builder!.kind).toBeNull();
        const f = {
          keyId: '',
          alias: '',
          blob: new Uint8Array(),
          signature: new Uint8Array(),
          mac: new Uint8Array(),
          importToken: new Uint8Array(),
          wrappedMaterial: new Uint8Array(),
          certificate: '',
          grantId: '',
        };
        // Operations on no key succeed, except the custom key store ones on this server without a PKCS#11 module.
        if (typeof expected === 'string' && expected !== 'ok') {
          expect(method).toMatch(/CustomKeyStore/);
          await expectKmsError(call(method, await builder!.build(await context('aes', f))), expected);
          return;
        }
        const result = await call(method, await builder!.build(await context('aes', f)));
        expect(schemaErrors(method, result)).toEqual([]);
        return;
      }
      // Destroyed first: building it moves the clock, which must not sweep the other fixtures.
      const order: KeyState[] = ['Destroyed', 'Enabled', 'Disabled', 'PendingDeletion', 'PendingImport'];
      const fixtures = new Map<KeyState, Fixture>();
      for (const state of order) fixtures.set(state, await build(builder!.kind, state));
      const results: Record<string, Outcome> = {};
      for (const state of STATES) {
        const input = await builder!.build(await context(builder!.kind, fixtures.get(state)!));
        results[state] = await call(method, input).then(
          (result) => {
            const errors = schemaErrors(method, result);
            return (
              errors.length === 0 ? 'ok' : `response breaks the ${method} response schema: ${errors.join('; ')}`
            ) as Outcome;
          },
          (e: unknown) => ((e as { code?: ErrorCode }).code ?? `non-KmsError: ${String(e)}`) as Outcome,
        );
      }
      expect(results).toEqual(expected);
    });
  }
});

describe('lifecycle: transitions and describeKey fields', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());

  const describe_ = async (keyId: string) => (await t.kms.describeKey({ keyId })).keyMetadata;

  it('a new key is Enabled with no deletion fields', async () => {
    const { keyMetadata } = await t.kms.createKey({});
    expect(keyMetadata.keyState).toBe('Enabled');
    expect(keyMetadata.enabled).toBe(true);
    expect(keyMetadata.deletionDate).toBeUndefined();
    expect(keyMetadata.pendingDeletionWindowInDays).toBeUndefined();
  });

  it('disableKey makes a key Disabled (enabled false) and enableKey makes it Enabled again; both are idempotent', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    await t.kms.disableKey({ keyId });
    await t.kms.disableKey({ keyId });
    let md = await describe_(keyId);
    expect(md.keyState).toBe('Disabled');
    expect(md.enabled).toBe(false);
    await t.kms.enableKey({ keyId });
    await t.kms.enableKey({ keyId });
    md = await describe_(keyId);
    expect(md.keyState).toBe('Enabled');
    expect(md.enabled).toBe(true);
  });

  it('scheduleKeyDeletion reports and records the deletion date and window', async () => {
    const { keyId, arn } = (await t.kms.createKey({})).keyMetadata;
    const res = await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 10 });
    const expectedDate = new Date(t.clock.now().getTime() + 10 * DAY_MS);
    expect(res).toEqual({
      keyId: arn,
      keyState: 'PendingDeletion',
      pendingWindowInDays: 10,
      deletionDate: expectedDate,
    });
    const md = await describe_(keyId);
    expect(md.keyState).toBe('PendingDeletion');
    expect(md.enabled).toBe(false);
    expect(md.deletionDate).toEqual(expectedDate);
    expect(md.pendingDeletionWindowInDays).toBe(10);
  });

  it('scheduleKeyDeletion defaults to a 30-day window', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    const res = await t.kms.scheduleKeyDeletion({ keyId });
    expect(res.pendingWindowInDays).toBe(30);
    expect(res.deletionDate).toEqual(new Date(t.clock.now().getTime() + 30 * DAY_MS));
  });

  it('cancelKeyDeletion puts an Enabled-then-scheduled key in Disabled and clears the deletion fields', async () => {
    const { keyId, arn } = (await t.kms.createKey({})).keyMetadata;
    await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7, force: true });
    expect(await t.kms.cancelKeyDeletion({ keyId })).toEqual({ keyId: arn });
    const md = await describe_(keyId);
    expect(md.keyState).toBe('Disabled');
    expect(md.enabled).toBe(false);
    expect(md.deletionDate).toBeUndefined();
    expect(md.pendingDeletionWindowInDays).toBeUndefined();
    await expectKmsError(t.kms.cancelKeyDeletion({ keyId }), 'INVALID_KEY_STATE');
  });

  it('cancelKeyDeletion returns a key that never had material to PendingImport', async () => {
    const { keyId } = (await t.kms.createKey({ origin: 'EXTERNAL' })).keyMetadata;
    await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7, force: true });
    await t.kms.cancelKeyDeletion({ keyId });
    expect((await describe_(keyId)).keyState).toBe('PendingImport');
  });

  it('deleting imported material while PendingDeletion keeps the key PendingDeletion; cancelling then gives PendingImport', async () => {
    const { keyId } = (await t.kms.createKey({ origin: 'EXTERNAL' })).keyMetadata;
    const params = await t.kms.getParametersForImport({
      keyId,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_2048',
    });
    const material = randomBytes(32);
    const encryptedKeyMaterial = wrapForImport('RSAES_OAEP_SHA_256', params.publicKey, material);
    await t.kms.importKeyMaterial({ keyId, importToken: params.importToken, encryptedKeyMaterial });
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('kept') });
    await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7, force: true });
    await t.kms.deleteImportedKeyMaterial({ keyId });
    const md = await describe_(keyId);
    expect(md.keyState).toBe('PendingDeletion');
    expect(md.pendingDeletionWindowInDays).toBe(7);
    await t.kms.cancelKeyDeletion({ keyId });
    expect((await describe_(keyId)).keyState).toBe('PendingImport');
    // The same material brings it back (under a new token: tokens are single-use), and the old ciphertext decrypts.
    const again = await t.kms.getParametersForImport({
      keyId,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_2048',
    });
    await t.kms.importKeyMaterial({
      keyId,
      importToken: again.importToken,
      encryptedKeyMaterial: wrapForImport('RSAES_OAEP_SHA_256', again.publicKey, material),
    });
    expect((await describe_(keyId)).keyState).toBe('Enabled');
    expect(text((await t.kms.decrypt({ ciphertextBlob })).plaintext)).toBe('kept');
  });

  it('a Disabled key can be scheduled for deletion, and cancelling leaves it Disabled', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    await t.kms.disableKey({ keyId });
    await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7, force: true });
    expect((await describe_(keyId)).keyState).toBe('PendingDeletion');
    await t.kms.cancelKeyDeletion({ keyId });
    expect((await describe_(keyId)).keyState).toBe('Disabled');
  });

  it('scheduleKeyDeletion refuses a key that is already pending deletion and keeps the first date', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    const first = await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 20 });
    await expectKmsError(t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7 }), 'INVALID_KEY_STATE');
    expect((await describe_(keyId)).deletionDate).toEqual(first.deletionDate);
  });
});

describe('lifecycle: pending window bounds (minPendingWindowDays 7)', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms({ config: { minPendingWindowDays: 7 } });
  });
  afterAll(async () => t.cleanup());

  it.each([0, 1, 6, 31, 365, 7.5])(
    'pendingWindowInDays %s fails with VALIDATION_ERROR and leaves the key Enabled',
    async (days) => {
      const { keyId } = (await t.kms.createKey({})).keyMetadata;
      await expectKmsError(t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: days }), 'VALIDATION_ERROR');
      expect((await t.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Enabled');
    },
  );

  it.each([7, 30])('pendingWindowInDays %s is accepted', async (days) => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    const res = await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: days });
    expect(res.pendingWindowInDays).toBe(days);
  });
});

describe('lifecycle: the deletion sweep', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());

  async function scheduled(window: number) {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    const alias = `alias/sweep-${keyId}`;
    await t.kms.createAlias({ aliasName: alias, targetKeyId: keyId });
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('old data') });
    await t.kms.rotateKeyOnDemand({ keyId });
    const second = (await t.kms.encrypt({ keyId, plaintext: utf8('newer data') })).ciphertextBlob;
    await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: window, force: true });
    return { keyId, alias, ciphertextBlob, second };
  }

  it('runMaintenance before the window ends destroys nothing: cancel and enable, and old ciphertexts decrypt', async () => {
    const k = await scheduled(3);
    t.clock.advanceDays(2);
    const report = await t.kms.runMaintenance();
    expect(report.destroyed).toBe(0);
    expect((await t.kms.describeKey({ keyId: k.keyId })).keyMetadata.keyState).toBe('PendingDeletion');
    await expectKmsError(t.kms.decrypt({ ciphertextBlob: k.ciphertextBlob }), 'INVALID_KEY_STATE');
    await t.kms.cancelKeyDeletion({ keyId: k.keyId });
    await t.kms.enableKey({ keyId: k.keyId });
    expect(text((await t.kms.decrypt({ ciphertextBlob: k.ciphertextBlob })).plaintext)).toBe('old data');
    expect(text((await t.kms.decrypt({ ciphertextBlob: k.second })).plaintext)).toBe('newer data');
    expect((await t.kms.listAliases({ keyId: k.keyId })).aliases.map((a) => a.aliasName)).toEqual([k.alias]);
  });

  it('after the window the sweep destroys the key for good: state, decrypt, aliases, cancel, enable, stored material', async () => {
    const k = await scheduled(1);
    t.clock.advanceDays(1);
    t.clock.advanceMs(1);
    const report = await t.kms.runMaintenance();
    expect(report.destroyed).toBe(1);
    expect(report.failed).toBe(0);
    const md = (await t.kms.describeKey({ keyId: k.keyId })).keyMetadata;
    expect(md.keyState).toBe('Destroyed');
    expect(md.enabled).toBe(false);
    await expectKmsError(t.kms.decrypt({ ciphertextBlob: k.ciphertextBlob }), 'INVALID_KEY_STATE');
    await expectKmsError(t.kms.decrypt({ ciphertextBlob: k.second }), 'INVALID_KEY_STATE');
    expect((await t.kms.listAliases({ keyId: k.keyId })).aliases).toEqual([]);
    await expectKmsError(t.kms.describeKey({ keyId: k.alias }), 'ALIAS_NOT_FOUND');
    await expectKmsError(t.kms.cancelKeyDeletion({ keyId: k.keyId }), 'INVALID_KEY_STATE');
    await expectKmsError(t.kms.enableKey({ keyId: k.keyId }), 'INVALID_KEY_STATE');
    await expectKmsError(t.kms.scheduleKeyDeletion({ keyId: k.keyId, pendingWindowInDays: 7 }), 'INVALID_KEY_STATE');
    // The alias name is free again.
    const other = (await t.kms.createKey({})).keyMetadata.keyId;
    await t.kms.createAlias({ aliasName: k.alias, targetKeyId: other });
    // A second sweep has nothing more to do.
    expect((await t.kms.runMaintenance()).destroyed).toBe(0);
    // On disk: no version of the key keeps wrapped material.
    const db = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('select version, wrapped_material from key_versions where key_id = ?').all(k.keyId) as {
        version: number;
        wrapped_material: Buffer | null;
      }[];
      expect(rows.map((r) => r.version).sort()).toEqual([1, 2]);
      expect(rows.every((r) => r.wrapped_material === null)).toBe(true);
    } finally {
      db.close();
    }
  });

  it('the sweep leaves keys scheduled later alone', async () => {
    const early = await scheduled(1);
    const late = await scheduled(20);
    t.clock.advanceDays(2);
    await t.kms.runMaintenance();
    expect((await t.kms.describeKey({ keyId: early.keyId })).keyMetadata.keyState).toBe('Destroyed');
    expect((await t.kms.describeKey({ keyId: late.keyId })).keyMetadata.keyState).toBe('PendingDeletion');
  });
});
