// Audit and authorisation through LocalKms: one hash-chained record per call (allowed, failed or denied) with the
// caller, operation, key, version and request id; no secrets in the audit log; what each role may do.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type AuditRecord, type Caller, type ErrorCode, type Jwk, type Kms } from '@custos/contract';
import { wrapForImport } from '../../src/index.js';
import { SERVICE_OPERATIONS } from '../../src/service/operations/index.js';
import { openTestKms, utf8, type TestKms } from './helpers.js';
import { parseCertificate } from '../../src/core/certificates/x509.js';
import { outsideCertificate } from '../helpers/x509-outside.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { makeToken, softHsmAvailable, type TestToken } from '../helpers/softhsm.js';

const SqliteDatabase = sqliteDriver();

// Batch writes a record per item besides its own, committed together: test/service/batch.test.ts checks its records.
type Method = Exclude<keyof typeof OPERATIONS, 'batch'>;
const METHODS = (Object.keys(OPERATIONS) as (keyof typeof OPERATIONS)[]).filter((m): m is Method => m !== 'batch');

const ADMIN: Caller = { principal: 'alice', roles: ['admin'] };
const KEY_USER: Caller = { principal: 'app', roles: ['key-user'] };
const KEY_ADMIN: Caller = { principal: 'ops', roles: ['key-admin'] };
const NOBODY: Caller = { principal: 'mallory', roles: [] };

function call(kms: Kms, method: Method, input: unknown, caller?: Caller): Promise<unknown> {
  return (kms as unknown as Record<Method, (input: unknown, caller?: Caller) => Promise<unknown>>)[method](
    input,
    caller,
  );
}

async function allAudit(kms: Kms): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await kms.listAuditRecords({ limit: 1000, ...(after !== undefined ? { after } : {}) });
    out.push(...page.records);
    if (page.nextAfter === undefined) return out;
    after = page.nextAfter;
  }
}

interface Keys {
  aes: string;
  aesExportable: string;
  hmac: string;
  sign: string;
  agree: string;
  kem: string;
  derive: string;
  blob: Uint8Array;
  signature: Uint8Array;
  mac: Uint8Array;
}

interface Prepared {
  readonly input: unknown;
  /** The key the record must name (null: none), or a function of the result. */
  readonly keyId: string | null | ((result: unknown) => string);
}

const message = utf8('audited message');
const DEFAULT_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'kms:*', Resource: '*' },
});
const NOBODY_HERE: Caller = { principal: 'nobody', roles: [] };
const TRUST_ANCHOR = readFileSync(new URL('../fixtures/trust-anchor.pem', import.meta.url), 'utf8');
/** ConnectCustomKeyStore loads the PKCS#11 module: that one case needs SoftHSM2 (the others only a configured path). */
const NEEDS_TOKEN: ReadonlySet<Method> = new Set(['connectCustomKeyStore']);
const peer = new Uint8Array(
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }),
);

describe('audit: one record per call', () => {
  let t: TestKms;
  let k: Keys;
  let n = 0;
  let token: TestToken | undefined;
  beforeAll(async () => {
    token = softHsmAvailable() ? makeToken() : undefined;
    // Development mode, so that AdvanceDevClock has a valid call too (the clock is the test's: `now` wins).
    t = await openTestKms({ hsmModule: token?.module ?? '/usr/lib/softhsm/libsofthsm2.so', dev: {} });
    const kms = t.kms;
    const create = async (input: Parameters<Kms['createKey']>[0]) => (await kms.createKey(input)).keyMetadata.keyId;
    const aes = await create({});
    const sign = await create({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    const hmac = await create({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' });
    k = {
      aes,
      aesExportable: await create({ exportable: true }),
      hmac,
      sign,
      agree: await create({ keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' }),
      kem: await create({ keySpec: 'ML_KEM_512', keyUsage: 'ENCAPSULATE_DECAPSULATE' }),
      derive: await create({ keySpec: 'AES_256', keyUsage: 'DERIVE_KEY' }),
      blob: (await kms.encrypt({ keyId: aes, plaintext: message })).ciphertextBlob,
      signature: (await kms.sign({ keyId: sign, message, signingAlgorithm: 'ECDSA_SHA_256' })).signature,
      mac: (await kms.generateMac({ keyId: hmac, message, macAlgorithm: 'HMAC_SHA_256' })).mac,
    };
  });
  afterAll(async () => t.cleanup());

  const fresh = async (input: Parameters<Kms['createKey']>[0] = {}) => (await t.kms.createKey(input)).keyMetadata.keyId;
  async function importedKey(): Promise<{ keyId: string; importToken: Uint8Array; encryptedKeyMaterial: Uint8Array }> {
    const keyId = await fresh({ origin: 'EXTERNAL' });
    const params = await t.kms.getParametersForImport({
      keyId,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_2048',
    });
    const material = randomBytes(32);
    const encryptedKeyMaterial = wrapForImport('RSAES_OAEP_SHA_256', params.publicKey, material);
    await t.kms.importKeyMaterial({ keyId, importToken: params.importToken, encryptedKeyMaterial });
    // Import tokens are single-use: a re-import of the same material takes a token of its own.
    const again = await t.kms.getParametersForImport({
      keyId,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_2048',
    });
    return {
      keyId,
      importToken: again.importToken,
      encryptedKeyMaterial: wrapForImport('RSAES_OAEP_SHA_256', again.publicKey, material),
    };
  }

  /** A new DISCONNECTED custom key store, on the test token when `real` (ConnectCustomKeyStore then connects). */
  async function keyStore(real = false): Promise<string> {
    const id = ++n;
    const { customKeyStoreId } = await t.kms.createCustomKeyStore({
      customKeyStoreName: `audit-store-${id}`,
      cloudHsmClusterId: real && token ? token.label : `audit-token-${id}`,
      keyStorePassword: token?.pin ?? 'audit-pin',
      trustAnchorCertificate: TRUST_ANCHOR,
    });
    return customKeyStoreId;
  }

  /** A valid call of every operation; setup calls happen here, before the audit mark. */
  const PREPARE: Record<Method, () => Promise<Prepared>> = {
    createKey: async () => ({ input: {}, keyId: (r) => (r as { keyMetadata: { keyId: string } }).keyMetadata.keyId }),
    describeKey: async () => ({ input: { keyId: k.aes }, keyId: k.aes }),
    listKeys: async () => ({ input: {}, keyId: null }),
    updateKeyDescription: async () => ({ input: { keyId: k.aes, description: 'd' }, keyId: k.aes }),
    enableKey: async () => ({ input: { keyId: k.aes }, keyId: k.aes }),
    disableKey: async () => {
      const keyId = await fresh();
      return { input: { keyId }, keyId };
    },
    scheduleKeyDeletion: async () => {
      const keyId = await fresh();
      return { input: { keyId, pendingWindowInDays: 7 }, keyId };
    },
    cancelKeyDeletion: async () => {
      const keyId = await fresh();
      await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7 });
      return { input: { keyId }, keyId };
    },
    createAlias: async () => ({ input: { aliasName: `alias/audit-${++n}`, targetKeyId: k.aes }, keyId: k.aes }),
    updateAlias: async () => {
      const aliasName = `alias/audit-${++n}`;
      await t.kms.createAlias({ aliasName, targetKeyId: await fresh() });
      return { input: { aliasName, targetKeyId: k.aes }, keyId: k.aes };
    },
    deleteAlias: async () => {
      const aliasName = `alias/audit-${++n}`;
      await t.kms.createAlias({ aliasName, targetKeyId: k.aes });
      return { input: { aliasName }, keyId: k.aes };
    },
    listAliases: async () => ({ input: {}, keyId: null }),
    tagResource: async () => ({ input: { keyId: k.aes, tags: [{ tagKey: 'a', tagValue: 'b' }] }, keyId: k.aes }),
    untagResource: async () => ({ input: { keyId: k.aes, tagKeys: ['a'] }, keyId: k.aes }),
    listResourceTags: async () => ({ input: { keyId: k.aes }, keyId: k.aes }),
    encrypt: async () => ({ input: { keyId: k.aes, plaintext: message }, keyId: k.aes }),
    decrypt: async () => ({ input: { ciphertextBlob: k.blob }, keyId: k.aes }),
    reEncrypt: async () => {
      const destination = await fresh();
      return { input: { ciphertextBlob: k.blob, destinationKeyId: destination }, keyId: destination };
    },
    generateDataKey: async () => ({ input: { keyId: k.aes, keySpec: 'AES_256' }, keyId: k.aes }),
    generateDataKeyWithoutPlaintext: async () => ({ input: { keyId: k.aes, keySpec: 'AES_128' }, keyId: k.aes }),
    generateDataKeyPair: async () => ({ input: { keyId: k.aes, keyPairSpec: 'ECC_NIST_P256' }, keyId: k.aes }),
    generateDataKeyPairWithoutPlaintext: async () => ({
      input: { keyId: k.aes, keyPairSpec: 'ECC_NIST_P256' },
      keyId: k.aes,
    }),
    generateRandom: async () => ({ input: { numberOfBytes: 8 }, keyId: null }),
    sign: async () => ({ input: { keyId: k.sign, message, signingAlgorithm: 'ECDSA_SHA_256' }, keyId: k.sign }),
    verify: async () => ({
      input: { keyId: k.sign, message, signature: k.signature, signingAlgorithm: 'ECDSA_SHA_256' },
      keyId: k.sign,
    }),
    getPublicKey: async () => ({ input: { keyId: k.sign }, keyId: k.sign }),
    generateMac: async () => ({ input: { keyId: k.hmac, message, macAlgorithm: 'HMAC_SHA_256' }, keyId: k.hmac }),
    verifyMac: async () => ({
      input: { keyId: k.hmac, message, mac: k.mac, macAlgorithm: 'HMAC_SHA_256' },
      keyId: k.hmac,
    }),
    deriveSharedSecret: async () => ({
      input: { keyId: k.agree, keyAgreementAlgorithm: 'ECDH', publicKey: peer },
      keyId: k.agree,
    }),
    encapsulate: async () => ({ input: { keyId: k.kem, encapsulationAlgorithm: 'ML_KEM' }, keyId: k.kem }),
    decapsulate: async () => ({
      input: { keyId: k.kem, sharedSecretCiphertextBlob: new Uint8Array(768), encapsulationAlgorithm: 'ML_KEM' },
      keyId: k.kem,
    }),
    deriveKey: async () => ({
      input: { keyId: k.derive, derivationAlgorithm: 'HKDF_SHA_256', salt: utf8('s'), numberOfBytes: 16 },
      keyId: k.derive,
    }),
    enableKeyRotation: async () => ({ input: { keyId: k.aes }, keyId: k.aes }),
    disableKeyRotation: async () => ({ input: { keyId: k.aes }, keyId: k.aes }),
    getKeyRotationStatus: async () => ({ input: { keyId: k.aes }, keyId: k.aes }),
    rotateKeyOnDemand: async () => {
      const keyId = await fresh();
      return { input: { keyId }, keyId };
    },
    listKeyRotations: async () => ({ input: { keyId: k.aes }, keyId: k.aes }),
    getKeyUsage: async () => ({ input: { keyId: k.aes }, keyId: k.aes }),
    updateMinDecryptionVersion: async () => {
      const keyId = await fresh();
      return { input: { keyId, minDecryptionVersion: 1 }, keyId };
    },
    trimKeyVersions: async () => {
      const keyId = await fresh();
      await t.kms.rotateKeyOnDemand({ keyId });
      await t.kms.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 2 });
      return { input: { keyId, pendingWindowInDays: 7 }, keyId };
    },
    getParametersForImport: async () => {
      const keyId = await fresh({ origin: 'EXTERNAL' });
      return { input: { keyId, wrappingAlgorithm: 'RSAES_OAEP_SHA_256', wrappingKeySpec: 'RSA_2048' }, keyId };
    },
    importKeyMaterial: async () => {
      const imported = await importedKey();
      return { input: imported, keyId: imported.keyId };
    },
    deleteImportedKeyMaterial: async () => {
      const { keyId } = await importedKey();
      return { input: { keyId }, keyId };
    },
    getKeyPolicy: async () => ({ input: { keyId: k.aes }, keyId: k.aes }),
    putKeyPolicy: async () => ({ input: { keyId: k.aes, policy: DEFAULT_POLICY }, keyId: k.aes }),
    listKeyPolicies: async () => ({ input: { keyId: k.aes }, keyId: k.aes }),
    exportKey: async () => ({ input: { keyId: k.aesExportable, format: 'JWK' }, keyId: k.aesExportable }),
    updateKeyConstraints: async () => ({ input: { keyId: k.aes, maxUses: 100000 }, keyId: k.aes }),
    listAuditRecords: async () => ({ input: { limit: 1 }, keyId: null }),
    verifyAuditChain: async () => ({ input: {}, keyId: null }),
    pruneAuditRecords: async () => ({ input: { before: new Date(0) }, keyId: null }),
    exportAuditRecords: async () => ({ input: { before: new Date(0) }, keyId: null }),
    getAuditPublicKey: async () => ({ input: {}, keyId: null }),
    createToken: async () => ({ input: { roles: ['key-user'], description: 'audited' }, keyId: null }),
    listTokens: async () => ({ input: {}, keyId: null }),
    whoAmI: async () => ({ input: {}, keyId: null }),
    revokeToken: async () => {
      const { tokenId } = await t.kms.createToken({ roles: ['key-user'] });
      return { input: { tokenId }, keyId: null };
    },
    createAccessKey: async () => ({ input: { roles: ['key-user'], description: 'audited' }, keyId: null }),
    listAccessKeys: async () => ({ input: {}, keyId: null }),
    revokeAccessKey: async () => {
      const { accessKeyId } = await t.kms.createAccessKey({ roles: ['key-user'] });
      return { input: { accessKeyId }, keyId: null };
    },
    createCsr: async () => ({ input: { keyId: k.sign, subject: 'CN=audit' }, keyId: k.sign }),
    setKeyCertificate: async () => {
      const keyId = await fresh({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
      const { certificate } = await t.kms.createSelfSignedCertificate({ keyId, subject: 'CN=audit', validityDays: 1 });
      return { input: { keyId, certificateChain: [certificate] }, keyId };
    },
    getKeyCertificate: async () => {
      await t.kms.createSelfSignedCertificate({ keyId: k.sign, subject: 'CN=audit', validityDays: 1 });
      return { input: { keyId: k.sign }, keyId: k.sign };
    },
    createSelfSignedCertificate: async () => ({
      input: { keyId: k.sign, subject: 'CN=audit', validityDays: 1 },
      keyId: k.sign,
    }),
    issueCertificate: async () => {
      const ca = await fresh({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
      await t.kms.createSelfSignedCertificate({ keyId: ca, subject: 'CN=audit CA', validityDays: 1, isCa: true });
      const { csr } = await t.kms.createCsr({ keyId: k.sign, subject: 'CN=audit leaf' });
      return { input: { keyId: ca, csr, validityDays: 1 }, keyId: ca };
    },
    addTrustedCertificate: async () => ({
      input: { certificate: await selfSigned(), domain: `audit-${++n}` },
      keyId: null,
    }),
    listTrustedCertificates: async () => ({ input: {}, keyId: null }),
    deleteTrustedCertificate: async () => {
      const { id } = await t.kms.addTrustedCertificate({ certificate: await selfSigned(), domain: `audit-${++n}` });
      return { input: { id }, keyId: null };
    },
    verifyCertificateChain: async () => ({ input: { certificateChain: [await selfSigned()] }, keyId: null }),
    createCustomKeyStore: async () => ({
      input: {
        customKeyStoreName: `audit-store-${++n}`,
        cloudHsmClusterId: `audit-token-${n}`,
        keyStorePassword: 'audit-pin',
        trustAnchorCertificate: TRUST_ANCHOR,
      },
      keyId: null,
    }),
    describeCustomKeyStores: async () => ({ input: {}, keyId: null }),
    connectCustomKeyStore: async () => ({ input: { customKeyStoreId: await keyStore(true) }, keyId: null }),
    disconnectCustomKeyStore: async () => ({ input: { customKeyStoreId: await keyStore() }, keyId: null }),
    updateCustomKeyStore: async () => ({
      input: { customKeyStoreId: await keyStore(), newCustomKeyStoreName: `audit-renamed-${++n}` },
      keyId: null,
    }),
    deleteCustomKeyStore: async () => ({ input: { customKeyStoreId: await keyStore() }, keyId: null }),
    createGrant: async () => ({
      input: { keyId: k.aes, granteePrincipal: 'grantee', operations: ['Encrypt'] },
      keyId: k.aes,
    }),
    listGrants: async () => ({ input: { keyId: k.aes }, keyId: k.aes }),
    listRetirableGrants: async () => ({ input: { retiringPrincipal: 'retirer' }, keyId: null }),
    retireGrant: async () => {
      const { grantToken } = await t.kms.createGrant({ keyId: k.aes, granteePrincipal: 'g', operations: ['Decrypt'] });
      return { input: { grantToken }, keyId: k.aes };
    },
    revokeGrant: async () => {
      const { grantId } = await t.kms.createGrant({ keyId: k.aes, granteePrincipal: 'g', operations: ['Decrypt'] });
      return { input: { keyId: k.aes, grantId }, keyId: k.aes };
    },
    getJwk: async () => ({ input: { keyId: k.sign }, keyId: k.sign }),
    listJwks: async () => ({ input: {}, keyId: null }),
    updateKeyPublishJwk: async () => ({ input: { keyId: k.sign, publishJwk: true }, keyId: k.sign }),
    signJws: async () => ({ input: { keyId: k.sign, payload: 'aGk' }, keyId: k.sign }),
    signJwt: async () => ({ input: { keyId: k.sign, claims: { sub: 'audit' } }, keyId: k.sign }),
    verifyJws: async () => {
      const { jws } = await t.kms.signJws({ keyId: k.sign, payload: 'aGk' });
      return { input: { jws }, keyId: k.sign };
    },
    generateJwkKeyPair: async () => ({ input: { alg: 'ES256' }, keyId: (r) => (r as { kid: string }).kid }),
    importJwk: async () => ({
      input: { jwk: generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) },
      keyId: (r) => (r as { kid: string }).kid,
    }),
    importPublicKey: async () => ({
      input: {
        publicKey: new Uint8Array(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' })),
        keyUsage: 'SIGN_VERIFY',
      },
      keyId: (r) => (r as { keyMetadata: { keyId: string } }).keyMetadata.keyId,
    }),
    signJose: async () => ({ input: { keyId: k.sign, message }, keyId: k.sign }),
    verifyJose: async () => {
      const { signature } = await t.kms.signJose({ keyId: k.sign, message });
      return { input: { keyId: k.sign, message, signature }, keyId: k.sign };
    },
    encryptJwe: async () => ({ input: { keyId: k.aes, plaintext: message }, keyId: k.aes }),
    decryptJwe: async () => {
      const { jwe } = await t.kms.encryptJwe({ keyId: k.aes, plaintext: message });
      return { input: { keyId: k.aes, jwe }, keyId: k.aes };
    },
    attestKey: async () => ({ input: { keyId: k.sign, challenge: randomBytes(16) }, keyId: k.sign }),
    getAttestationRoots: async () => ({ input: {}, keyId: null }),
    createAttestationCsr: async () => ({ input: {}, keyId: null }),
    setAttestationChain: async () => {
      // An operator's CA issues a CA certificate for the attestation key (read from the default root).
      const [root] = (await t.kms.getAttestationRoots({})).certificates;
      const publicKey = new Uint8Array(parseCertificate(root!).publicKey.rawData);
      const ca = await outsideCertificate({ subject: 'CN=operator CA' });
      const leaf = await outsideCertificate({ subject: 'CN=attestation', issuer: ca, publicKey, pathLength: 0 });
      return { input: { certificateChain: [leaf.pem, ca.pem] }, keyId: null };
    },
    // Keyrings (MOSIP): what exists is made before the mark, so the call itself writes its one record.
    listKeyringPolicies: async () => ({ input: {}, keyId: null }),
    getKeyringPolicy: async () => ({ input: { applicationId: 'REGISTRATION' }, keyId: null }),
    putKeyringPolicy: async () => ({
      input: { applicationId: `AUDIT_${++n}`, validityDays: 30, preExpireDays: 1 },
      keyId: null,
    }),
    deleteKeyringPolicy: async () => {
      const applicationId = `AUDIT_${++n}`;
      await t.kms.putKeyringPolicy({ applicationId, validityDays: 30, preExpireDays: 1 });
      return { input: { applicationId }, keyId: null };
    },
    generateKeyringMasterKey: async () => ({
      input: { applicationId: 'RESIDENT', objectType: 'CSR', force: true },
      keyId: (r) => (r as { keyId: string }).keyId,
    }),
    getKeyringCertificate: async () => ({
      input: { applicationId: 'REGISTRATION', referenceId: `audit-${++n}` },
      keyId: (r) => (r as { keyId: string }).keyId,
    }),
    listKeyringCertificates: async () => ({ input: { applicationId: 'REGISTRATION' }, keyId: null }),
    createKeyringCsr: async () => {
      const ring = { applicationId: 'REGISTRATION', referenceId: 'audit' };
      return { input: ring, keyId: (await t.kms.getKeyringCertificate(ring)).keyId };
    },
    uploadKeyringCertificate: async () => {
      const ring = { applicationId: 'REGISTRATION', referenceId: 'audit' };
      const { keyId, certificate } = await t.kms.getKeyringCertificate(ring);
      return { input: { ...ring, certificate }, keyId };
    },
    uploadPartnerCertificate: async () => {
      const partner = await t.kms.getKeyringCertificate({ applicationId: 'ID_REPO', referenceId: `audit-${++n}` });
      return {
        input: { applicationId: 'RESIDENT', referenceId: 'partner', certificate: partner.certificate },
        keyId: null,
      };
    },
    generateKeyringSymmetricKey: async () => ({
      input: { applicationId: 'KERNEL', referenceId: `audit-${++n}` },
      keyId: (r) => (r as { keyId: string }).keyId,
    }),
    revokeKeyringKey: async () => {
      const ring = { applicationId: 'PMS', referenceId: `audit-${++n}` };
      return { input: ring, keyId: (await t.kms.getKeyringCertificate(ring)).keyId };
    },
    keyringEncrypt: async () => {
      const ring = { applicationId: 'REGISTRATION', referenceId: 'audit' };
      return { input: { ...ring, data: message }, keyId: (await t.kms.getKeyringCertificate(ring)).keyId };
    },
    keyringDecrypt: async () => {
      const ring = { applicationId: 'REGISTRATION', referenceId: 'audit' };
      const { ciphertext } = await t.kms.keyringEncrypt({ ...ring, data: message });
      return { input: { ...ring, ciphertext }, keyId: (await t.kms.getKeyringCertificate(ring)).keyId };
    },
    // Key PINs (key-pins): an admin unblock of a PIN-protected key.
    unblockKeyPin: async () => {
      const keyId = await fresh({
        pinPolicy: { minLength: 4, maxLength: 8, format: 'numeric', retryLimit: 3 },
        pin: '2468',
      });
      return { input: { keyId }, keyId };
    },
    // Development mode: moving the clock by nothing. Maintenance runs first, so the run after the call finds nothing
    // due (what earlier tests left due would be audited by its own jobs' records).
    advanceDevClock: async () => {
      await t.kms.runMaintenance();
      return { input: { advanceSeconds: 0 }, keyId: null };
    },
  };

  /** A fresh self-signed certificate of a fresh key (made before the audit mark). */
  async function selfSigned(): Promise<string> {
    const keyId = await fresh({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    return (await t.kms.createSelfSignedCertificate({ keyId, subject: 'CN=anchor', validityDays: 1, isCa: true }))
      .certificate;
  }

  /** The seq of the newest record, read without leaving a record in between that we would miss. */
  async function mark(): Promise<number> {
    const { count } = await t.kms.verifyAuditChain({}, ADMIN);
    return count! + 1; // the VerifyAuditChain call's own record
  }
  async function since(seq: number): Promise<AuditRecord[]> {
    return (await t.kms.listAuditRecords({ after: seq, limit: 1000 }, ADMIN)).records;
  }

  for (const method of METHODS) {
    const test = NEEDS_TOKEN.has(method) && !softHsmAvailable() ? it.skip : it;
    test(`${method} appends exactly one 'allowed' record naming caller, operation, key and request id`, async () => {
      const prepared = await PREPARE[method]();
      const requestId = `req-${method}-${randomBytes(4).toString('hex')}`;
      const from = await mark();
      const result = await call(t.kms, method, prepared.input, { ...ADMIN, requestId });
      const records = await since(from);
      expect(records).toHaveLength(1);
      const [record] = records;
      const keyId = typeof prepared.keyId === 'function' ? prepared.keyId(result) : prepared.keyId;
      expect(record).toMatchObject({
        principal: 'alice',
        operation: OPERATIONS[method].name,
        keyId,
        outcome: 'allowed',
        errorCode: null,
        requestId,
      });
      expect(record!.seq).toBe(from + 1);
    });
  }

  // Key-targeted operations go on to their key, where the key policy decides (AWS's default delegates to the roles).
  for (const method of METHODS.filter((m) => SERVICE_OPERATIONS[m].states !== null)) {
    const test = NEEDS_TOKEN.has(method) && !softHsmAvailable() ? it.skip : it;
    test(`${method}: a caller with no roles is refused on a key with the default policy, audited as denied`, async () => {
      const prepared = await PREPARE[method]();
      await expectKmsError(call(t.kms, method, prepared.input, NOBODY_HERE), 'ACCESS_DENIED');
      const [record] = (await t.kms.listAuditRecords({ after: (await mark()) - 2, limit: 1 }, ADMIN)).records;
      expect(record).toMatchObject({ principal: 'nobody', operation: OPERATIONS[method].name, outcome: 'denied' });
      // ReEncrypt is refused on its source key, the others on the key they name.
      if (typeof prepared.keyId === 'string' && method !== 'reEncrypt') expect(record!.keyId).toBe(prepared.keyId);
    });
  }

  it('encrypt and decrypt records name the key version they used', async () => {
    const keyId = await fresh();
    const v1 = (await t.kms.encrypt({ keyId, plaintext: message })).ciphertextBlob;
    await t.kms.rotateKeyOnDemand({ keyId });
    const from = await mark();
    const v2 = (await t.kms.encrypt({ keyId, plaintext: message })).ciphertextBlob;
    await t.kms.decrypt({ ciphertextBlob: v1 });
    await t.kms.decrypt({ ciphertextBlob: v2 });
    const records = await since(from);
    expect(records.map((r) => [r.operation, r.keyId, r.keyVersion])).toEqual([
      ['Encrypt', keyId, 2],
      ['Decrypt', keyId, 1],
      ['Decrypt', keyId, 2],
    ]);
  });

  it('without a caller request id each call gets its own generated one', async () => {
    const from = await mark();
    await t.kms.describeKey({ keyId: k.aes }, ADMIN);
    await t.kms.describeKey({ keyId: k.aes }, ADMIN);
    const [a, b] = await since(from);
    expect(a!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(b!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a!.requestId).not.toBe(b!.requestId);
  });

  it('a failing call appends one failed record with its error code (validation, state, not found, bad ciphertext)', async () => {
    const disabled = await fresh();
    await t.kms.disableKey({ keyId: disabled });
    const cases: [() => Promise<unknown>, ErrorCode, string | null, string][] = [
      [
        () => t.kms.encrypt({ keyId: disabled, plaintext: message }, { ...ADMIN, requestId: 'f1' }),
        'KEY_DISABLED',
        disabled,
        'Encrypt',
      ],
      [
        () => t.kms.encrypt({ keyId: k.aes, plaintext: new Uint8Array() }, { ...ADMIN, requestId: 'f2' }),
        'VALIDATION_ERROR',
        null,
        'Encrypt',
      ],
      [
        () => t.kms.describeKey({ keyId: 'alias/none' }, { ...ADMIN, requestId: 'f3' }),
        'ALIAS_NOT_FOUND',
        null,
        'DescribeKey',
      ],
      [
        () => t.kms.decrypt({ ciphertextBlob: randomBytes(60) }, { ...ADMIN, requestId: 'f4' }),
        'INVALID_CIPHERTEXT',
        null,
        'Decrypt',
      ],
      [
        () => t.kms.sign({ keyId: k.aes, message, signingAlgorithm: 'ECDSA_SHA_256' }, { ...ADMIN, requestId: 'f5' }),
        'INVALID_KEY_USAGE',
        k.aes,
        'Sign',
      ],
    ];
    const from = await mark();
    for (const [run, code] of cases) await expectKmsError(run(), code);
    const records = await since(from);
    expect(
      records.map((r) => ({ op: r.operation, out: r.outcome, code: r.errorCode, key: r.keyId, id: r.requestId })),
    ).toEqual(cases.map(([, code, key, op], i) => ({ op, out: 'failed', code, key, id: `f${i + 1}` })));
  });

  it('verifyAuditChain is ok and counts every record', async () => {
    const records = await allAudit(t.kms);
    const result = await t.kms.verifyAuditChain({});
    expect(result.ok).toBe(true);
    expect(result.count).toBe(records.length + 1); // + the listing's own record
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
  });

  it('the audit log never holds plaintext, key material, data keys or derived secrets', async () => {
    const secrets: Uint8Array[] = [];
    const plaintext = randomBytes(48);
    secrets.push(plaintext);
    const blob = (await t.kms.encrypt({ keyId: k.aes, plaintext })).ciphertextBlob;
    await t.kms.decrypt({ ciphertextBlob: blob });
    secrets.push((await t.kms.generateDataKey({ keyId: k.aes, keySpec: 'AES_256' })).plaintext);
    const pair = await t.kms.generateDataKeyPair({ keyId: k.aes, keyPairSpec: 'ECC_NIST_P256' });
    secrets.push(pair.privateKeyPlaintext);
    const { jwk } = await t.kms.exportKey({ keyId: k.aesExportable, format: 'JWK' });
    secrets.push(Buffer.from(jwk!.k!, 'base64url'));
    secrets.push((await t.kms.generateRandom({ numberOfBytes: 32 })).plaintext);
    secrets.push(
      (await t.kms.deriveSharedSecret({ keyId: k.agree, keyAgreementAlgorithm: 'ECDH', publicKey: peer }))
        .sharedSecret!,
    );
    secrets.push(
      (
        await t.kms.deriveKey({
          keyId: k.derive,
          derivationAlgorithm: 'HKDF_SHA_256',
          salt: utf8('x'),
          numberOfBytes: 32,
        })
      ).plaintext!,
    );
    const imported = await importedKey();
    secrets.push(imported.encryptedKeyMaterial, imported.importToken);
    const { token } = await t.kms.createToken({ roles: ['admin'] });
    secrets.push(Buffer.from(token));
    const { secretAccessKey } = await t.kms.createAccessKey({ roles: ['admin'] });
    secrets.push(Buffer.from(secretAccessKey));
    // The jwk facade: a private JWK imported in plaintext, and a JWE's plaintext.
    const privateJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    await t.kms.jwk.importPrivateKey(privateJwk as Jwk);
    secrets.push(Buffer.from(privateJwk.d!, 'base64url'), Buffer.from(privateJwk.d!));
    const jwePlaintext = randomBytes(40);
    await t.kms.jwk.decrypt(k.aes, await t.kms.jwk.encrypt(k.aes, jwePlaintext));
    secrets.push(jwePlaintext);

    const listed = JSON.stringify(await allAudit(t.kms));
    const raw = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true });
    let stored: string;
    try {
      stored = JSON.stringify(raw.prepare('select * from audit_log').all());
    } finally {
      raw.close();
    }
    for (const text of [token, secretAccessKey]) expect(listed.includes(text) || stored.includes(text)).toBe(false);
    for (const secret of secrets) {
      const b = Buffer.from(secret);
      for (const form of [b.toString('hex'), b.toString('base64').replace(/=+$/, ''), b.toString('base64url')]) {
        expect(listed.includes(form)).toBe(false);
        expect(stored.includes(form)).toBe(false);
      }
    }
  });
});

describe('authorisation by role', () => {
  let t: TestKms;
  let keyId: string;
  let signKey: string;
  let blob: Uint8Array;
  beforeAll(async () => {
    t = await openTestKms();
    keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    signKey = (await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    blob = (await t.kms.encrypt({ keyId, plaintext: message })).ciphertextBlob;
  });
  afterAll(async () => t.cleanup());

  async function lastRecord(): Promise<AuditRecord> {
    const records = await allAudit(t.kms);
    return records[records.length - 1]!;
  }

  it('a key user can encrypt, decrypt, sign, verify, describe keys and read public keys', async () => {
    const enc = await t.kms.encrypt({ keyId, plaintext: message }, KEY_USER);
    await t.kms.decrypt({ ciphertextBlob: enc.ciphertextBlob }, KEY_USER);
    await t.kms.decrypt({ ciphertextBlob: blob }, KEY_USER);
    await t.kms.generateDataKey({ keyId, keySpec: 'AES_256' }, KEY_USER);
    const { signature } = await t.kms.sign({ keyId: signKey, message, signingAlgorithm: 'ECDSA_SHA_256' }, KEY_USER);
    await t.kms.verify({ keyId: signKey, message, signature, signingAlgorithm: 'ECDSA_SHA_256' }, KEY_USER);
    await t.kms.describeKey({ keyId }, KEY_USER);
    await t.kms.getPublicKey({ keyId: signKey }, KEY_USER);
    await t.kms.listKeys({}, KEY_USER);
    const record = await lastRecord();
    expect(record).toMatchObject({ principal: 'app', operation: 'ListKeys', outcome: 'allowed' });
  });

  it.each([
    ['createKey', () => ({})],
    ['disableKey', () => ({ keyId })],
    ['scheduleKeyDeletion', () => ({ keyId, pendingWindowInDays: 7 })],
    ['rotateKeyOnDemand', () => ({ keyId })],
    ['createAlias', () => ({ aliasName: 'alias/by-user', targetKeyId: keyId })],
    ['putKeyPolicy', () => ({ keyId, policy: '{}' })],
    ['listAuditRecords', () => ({})],
    ['verifyAuditChain', () => ({})],
    ['pruneAuditRecords', () => ({ before: new Date() })],
    ['exportAuditRecords', () => ({ before: new Date() })],
    ['getAuditPublicKey', () => ({})],
  ] as [Method, () => unknown][])(
    'a key user calling %s gets ACCESS_DENIED, audited as denied, and nothing changes',
    async (method, input) => {
      await expectKmsError(call(t.kms, method, input(), { ...KEY_USER, requestId: `deny-${method}` }), 'ACCESS_DENIED');
      const record = await lastRecord();
      expect(record).toMatchObject({
        principal: 'app',
        operation: OPERATIONS[method].name,
        outcome: 'denied',
        errorCode: 'ACCESS_DENIED',
        requestId: `deny-${method}`,
      });
      const md = (await t.kms.describeKey({ keyId })).keyMetadata;
      expect(md.keyState).toBe('Enabled');
      expect(md.currentKeyVersion).toBe(1);
      expect((await t.kms.listAliases({ keyId })).aliases).toEqual([]);
    },
  );

  it('a key admin can create, describe, disable, enable, rotate and alias keys', async () => {
    const { keyMetadata } = await t.kms.createKey({}, KEY_ADMIN);
    const id = keyMetadata.keyId;
    await t.kms.describeKey({ keyId: id }, KEY_ADMIN);
    await t.kms.disableKey({ keyId: id }, KEY_ADMIN);
    await t.kms.enableKey({ keyId: id }, KEY_ADMIN);
    await t.kms.rotateKeyOnDemand({ keyId: id }, KEY_ADMIN);
    await t.kms.createAlias({ aliasName: 'alias/by-admin', targetKeyId: id }, KEY_ADMIN);
    await t.kms.scheduleKeyDeletion({ keyId: id, pendingWindowInDays: 7 }, KEY_ADMIN);
    expect((await t.kms.describeKey({ keyId: id })).keyMetadata).toMatchObject({
      keyState: 'PendingDeletion',
      currentKeyVersion: 2,
    });
  });

  it.each([
    ['encrypt', () => ({ keyId, plaintext: message })],
    ['decrypt', () => ({ ciphertextBlob: blob })],
    ['generateDataKey', () => ({ keyId, keySpec: 'AES_256' })],
    ['sign', () => ({ keyId: signKey, message, signingAlgorithm: 'ECDSA_SHA_256' })],
    ['exportKey', () => ({ keyId, format: 'JWK' })],
    ['listAuditRecords', () => ({})],
  ] as [Method, () => unknown][])(
    'a key admin calling %s gets ACCESS_DENIED, audited as denied',
    async (method, input) => {
      await expectKmsError(call(t.kms, method, input(), KEY_ADMIN), 'ACCESS_DENIED');
      expect(await lastRecord()).toMatchObject({
        principal: 'ops',
        operation: OPERATIONS[method].name,
        outcome: 'denied',
        errorCode: 'ACCESS_DENIED',
      });
    },
  );

  it('exportKey of an exportable key is denied to a key user and a key admin (audited as denied); an admin may', async () => {
    const exportable = (await t.kms.createKey({ exportable: true }, ADMIN)).keyMetadata.keyId;
    for (const caller of [KEY_USER, KEY_ADMIN]) {
      await expectKmsError(t.kms.exportKey({ keyId: exportable, format: 'JWK' }, caller), 'ACCESS_DENIED');
      expect(await lastRecord()).toMatchObject({
        principal: caller.principal,
        operation: 'ExportKey',
        keyId: exportable,
        outcome: 'denied',
        errorCode: 'ACCESS_DENIED',
      });
    }
    const { jwk } = await t.kms.exportKey({ keyId: exportable, format: 'JWK' }, ADMIN);
    expect(jwk?.kty).toBe('oct');
    expect(await lastRecord()).toMatchObject({
      principal: 'alice',
      operation: 'ExportKey',
      keyId: exportable,
      outcome: 'allowed',
    });
  });

  it('a denied record names the key the caller was refused on; an unknown key is KEY_NOT_FOUND, as on AWS', async () => {
    const arn = (await t.kms.describeKey({ keyId })).keyMetadata.arn;
    const unknown = '00000000-0000-4000-8000-000000000000';
    // On a key of its own: the shared key must keep no alias (other tests list its aliases).
    const aliased = (await t.kms.createKey({}, ADMIN)).keyMetadata.keyId;
    await t.kms.createAlias({ aliasName: 'alias/named-when-denied', targetKeyId: aliased }, ADMIN);
    const cases: [string, string | null][] = [
      [keyId.toUpperCase(), keyId],
      [arn, keyId],
      ['alias/named-when-denied', aliased], // the key policy of the key the alias names decides
    ];
    for (const [named, recorded] of cases) {
      await expectKmsError(t.kms.encrypt({ keyId: named, plaintext: message }, KEY_ADMIN), 'ACCESS_DENIED');
      expect(await lastRecord(), named).toMatchObject({ operation: 'Encrypt', outcome: 'denied', keyId: recorded });
    }
    for (const named of [unknown, 'arn:aws:kms:elsewhere:111122223333:key/' + keyId, 'not a key'])
      await expectKmsError(t.kms.encrypt({ keyId: named, plaintext: message }, KEY_ADMIN), 'KEY_NOT_FOUND');
  });

  it('an admin can do everything: manage, use and audit', async () => {
    const id = (await t.kms.createKey({}, ADMIN)).keyMetadata.keyId;
    const enc = await t.kms.encrypt({ keyId: id, plaintext: message }, ADMIN);
    await t.kms.decrypt({ ciphertextBlob: enc.ciphertextBlob }, ADMIN);
    await t.kms.disableKey({ keyId: id }, ADMIN);
    await t.kms.listAuditRecords({ limit: 1 }, ADMIN);
    expect((await t.kms.verifyAuditChain({}, ADMIN)).ok).toBe(true);
  });

  it('a caller with no roles is denied every operation on no key before its input is even looked at', async () => {
    // WhoAmI (access `self`) answers every authenticated caller: it says who the caller is, and that it may do nothing.
    const noKey = METHODS.filter(
      (m) => SERVICE_OPERATIONS[m].states === null && SERVICE_OPERATIONS[m].access !== 'self',
    );
    expect(await t.kms.whoAmI({}, NOBODY)).toMatchObject({ principal: 'mallory', roles: [], operations: ['WhoAmI'] });
    const before = (await t.kms.verifyAuditChain({})).count!;
    for (const method of noKey) {
      await expectKmsError(call(t.kms, method, { keyId }, NOBODY), 'ACCESS_DENIED');
      await expectKmsError(call(t.kms, method, { nonsense: true }, NOBODY), 'ACCESS_DENIED');
    }
    const records = (await t.kms.listAuditRecords({ after: before + 1, limit: 1000 })).records;
    expect(records).toHaveLength(noKey.length * 2);
    expect(
      records.every((r) => r.principal === 'mallory' && r.outcome === 'denied' && r.errorCode === 'ACCESS_DENIED'),
    ).toBe(true);
    expect(new Set(records.map((r) => r.operation))).toEqual(new Set(noKey.map((m) => OPERATIONS[m].name)));
  });

  it('an unknown role grants nothing', async () => {
    const odd = { principal: 'eve', roles: ['superuser'] } as unknown as Caller;
    await expectKmsError(t.kms.describeKey({ keyId }, odd), 'ACCESS_DENIED');
    await expectKmsError(t.kms.encrypt({ keyId, plaintext: message }, odd), 'ACCESS_DENIED');
  });

  it('exporting a key not created exportable is denied and audited as denied, even for an admin', async () => {
    await expectKmsError(t.kms.exportKey({ keyId, format: 'JWK' }, ADMIN), 'ACCESS_DENIED');
    expect(await lastRecord()).toMatchObject({ principal: 'alice', operation: 'ExportKey', keyId, outcome: 'denied' });
  });
});

describe('audit: token details', () => {
  it('a failed first-start token records no token id (it was rolled back); the one created next records its own', async () => {
    const t = await openTestKms();
    try {
      await expectKmsError(
        t.kms.bootstrapAdminToken(() => Promise.reject(new Error('disk full'))),
        'INTERNAL',
      );
      const created = await t.kms.bootstrapAdminToken(async () => undefined);
      const made = await t.kms.createToken({ roles: ['key-user'] });
      const raw = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true });
      let rows: { operation: string; outcome: string; details: string | null }[];
      try {
        rows = raw
          .prepare<[], { operation: string; outcome: string; details: string | null }>(
            "select operation, outcome, details from audit_log where operation in ('BootstrapToken', 'CreateToken') order by seq",
          )
          .all();
      } finally {
        raw.close();
      }
      expect(
        rows.map((r) => [r.operation, r.outcome, r.details && (JSON.parse(r.details) as { tokenId?: string }).tokenId]),
      ).toEqual([
        ['BootstrapToken', 'failed', null],
        ['BootstrapToken', 'allowed', created!.tokenId],
        ['CreateToken', 'allowed', made.tokenId],
      ]);
    } finally {
      await t.cleanup();
    }
  });
});
