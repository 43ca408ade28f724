// Every use of a PIN-protected key needs its PIN: a walk over every operation whose right is 'use' or 'export' and
// that names a key (checked against the service registry, so a new one fails here until it is listed), each called
// without the PIN (KEY_PIN_REQUIRED) and with it (works). Re-encryption checks both keys.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorFromCode, type Caller, type CreateKeyRequest, type Kms, type OperationMethod } from '@custos/contract';
import { SERVICE_OPERATIONS } from '../../../src/service/operations/index.js';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { openTestKms, utf8, type TestKms } from '../helpers.js';

const PIN = '2468';
const ADMIN: Caller = { principal: 'alice', roles: ['admin'] };
const PINNED: Caller = { ...ADMIN, keyPin: PIN };
const message = utf8('message');
const PIN_FIELDS = { pinPolicy: { minLength: 4, maxLength: 8, format: 'numeric', retryLimit: 5 }, pin: PIN } as const;

type Kind = 'aes' | 'hmac' | 'sign' | 'agree' | 'derive' | 'kem' | 'exportable' | 'ca';
const KINDS: Record<Kind, CreateKeyRequest> = {
  aes: {},
  hmac: { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' },
  sign: { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' },
  agree: { keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' },
  kem: { keySpec: 'ML_KEM_512', keyUsage: 'ENCAPSULATE_DECAPSULATE' },
  derive: { keySpec: 'AES_256', keyUsage: 'DERIVE_KEY' },
  exportable: { exportable: true },
  ca: { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' },
};

/** The PIN-protected keys, and what the calls need that takes the PIN to make (made with it, before the walk). */
interface Fixture {
  readonly keys: Record<Kind, string>;
  readonly blob: Uint8Array;
  readonly signature: Uint8Array;
  readonly mac: Uint8Array;
  readonly jws: string;
  readonly jwe: string;
  readonly joseSignature: Uint8Array;
  readonly csr: string;
  readonly other: string; // a key without a PIN
}

/** One call per operation, as `caller` (with or without its keyPin). */
type Case = (kms: Kms, f: Fixture, caller: Caller) => Promise<unknown>;
const peer = new Uint8Array(
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }),
);

const CASES: Partial<Record<OperationMethod, Case>> = {
  encrypt: (kms, f, c) => kms.encrypt({ keyId: f.keys.aes, plaintext: message }, c),
  decrypt: (kms, f, c) => kms.decrypt({ ciphertextBlob: f.blob }, c),
  reEncrypt: (kms, f, c) => kms.reEncrypt({ ciphertextBlob: f.blob, destinationKeyId: f.keys.exportable }, c),
  generateDataKey: (kms, f, c) => kms.generateDataKey({ keyId: f.keys.aes, keySpec: 'AES_256' }, c),
  generateDataKeyWithoutPlaintext: (kms, f, c) =>
    kms.generateDataKeyWithoutPlaintext({ keyId: f.keys.aes, numberOfBytes: 32 }, c),
  generateDataKeyPair: (kms, f, c) => kms.generateDataKeyPair({ keyId: f.keys.aes, keyPairSpec: 'ECC_NIST_P256' }, c),
  generateDataKeyPairWithoutPlaintext: (kms, f, c) =>
    kms.generateDataKeyPairWithoutPlaintext({ keyId: f.keys.aes, keyPairSpec: 'ECC_NIST_P256' }, c),
  sign: (kms, f, c) => kms.sign({ keyId: f.keys.sign, message, signingAlgorithm: 'ECDSA_SHA_256' }, c),
  verify: (kms, f, c) =>
    kms.verify({ keyId: f.keys.sign, message, signature: f.signature, signingAlgorithm: 'ECDSA_SHA_256' }, c),
  generateMac: (kms, f, c) => kms.generateMac({ keyId: f.keys.hmac, message, macAlgorithm: 'HMAC_SHA_256' }, c),
  verifyMac: (kms, f, c) => kms.verifyMac({ keyId: f.keys.hmac, message, mac: f.mac, macAlgorithm: 'HMAC_SHA_256' }, c),
  deriveSharedSecret: (kms, f, c) =>
    kms.deriveSharedSecret({ keyId: f.keys.agree, keyAgreementAlgorithm: 'ECDH', publicKey: peer }, c),
  encapsulate: (kms, f, c) => kms.encapsulate({ keyId: f.keys.kem, encapsulationAlgorithm: 'ML_KEM' }, c),
  // A batch answers; its item carries the PIN's error (the batch's PIN applies to every item).
  batch: async (kms, f, c) => {
    const { results } = await kms.batch({ items: [{ encrypt: { keyId: f.keys.aes, plaintext: message } }] }, c);
    const error = results[0]?.error;
    if (error) throw errorFromCode(error.code, error.message);
    return results;
  },
  decapsulate: (kms, f, c) =>
    kms.decapsulate(
      { keyId: f.keys.kem, sharedSecretCiphertextBlob: new Uint8Array(768), encapsulationAlgorithm: 'ML_KEM' },
      c,
    ),
  deriveKey: (kms, f, c) =>
    kms.deriveKey(
      { keyId: f.keys.derive, derivationAlgorithm: 'HKDF_SHA_256', salt: utf8('salt'), numberOfBytes: 32 },
      c,
    ),
  signJws: (kms, f, c) => kms.signJws({ keyId: f.keys.sign, payload: 'aGk' }, c),
  signJwt: (kms, f, c) => kms.signJwt({ keyId: f.keys.sign, claims: { sub: 'pin' } }, c),
  verifyJws: (kms, f, c) => kms.verifyJws({ jws: f.jws }, c),
  signJose: (kms, f, c) => kms.signJose({ keyId: f.keys.sign, message }, c),
  verifyJose: (kms, f, c) => kms.verifyJose({ keyId: f.keys.sign, message, signature: f.joseSignature }, c),
  encryptJwe: (kms, f, c) => kms.encryptJwe({ keyId: f.keys.aes, plaintext: message }, c),
  decryptJwe: (kms, f, c) => kms.decryptJwe({ keyId: f.keys.aes, jwe: f.jwe }, c),
  createCsr: (kms, f, c) => kms.createCsr({ keyId: f.keys.sign, subject: 'CN=pin' }, c),
  issueCertificate: (kms, f, c) => kms.issueCertificate({ keyId: f.keys.ca, csr: f.csr, validityDays: 1 }, c),
  exportKey: (kms, f, c) => kms.exportKey({ keyId: f.keys.exportable, format: 'JWK' }, c),
  createSelfSignedCertificate: (kms, f, c) =>
    kms.createSelfSignedCertificate({ keyId: f.keys.sign, subject: 'CN=pin', validityDays: 1 }, c),
};

describe('every use of a PIN-protected key needs its PIN', () => {
  let t: TestKms;
  let f: Fixture;
  beforeAll(async () => {
    t = await openTestKms();
    const kms = t.kms;
    const keys = {} as Record<Kind, string>;
    for (const kind of Object.keys(KINDS) as Kind[]) {
      keys[kind] = (await kms.createKey({ ...KINDS[kind], ...PIN_FIELDS })).keyMetadata.keyId;
    }
    await kms.createSelfSignedCertificate(
      { keyId: keys.ca, subject: 'CN=pin CA', validityDays: 2, isCa: true },
      PINNED,
    );
    const other = (await kms.createKey(KINDS.sign)).keyMetadata.keyId;
    f = {
      keys,
      other,
      blob: (await kms.encrypt({ keyId: keys.aes, plaintext: message }, PINNED)).ciphertextBlob,
      signature: (await kms.sign({ keyId: keys.sign, message, signingAlgorithm: 'ECDSA_SHA_256' }, PINNED)).signature,
      mac: (await kms.generateMac({ keyId: keys.hmac, message, macAlgorithm: 'HMAC_SHA_256' }, PINNED)).mac,
      jws: (await kms.signJws({ keyId: keys.sign, payload: 'aGk' }, PINNED)).jws,
      jwe: (await kms.encryptJwe({ keyId: keys.aes, plaintext: message }, PINNED)).jwe,
      joseSignature: (await kms.signJose({ keyId: keys.sign, message }, PINNED)).signature,
      csr: (await kms.createCsr({ keyId: other, subject: 'CN=leaf' })).csr,
    };
  });
  afterAll(async () => t.cleanup());

  it('the walk covers every operation that uses or exports a named key', () => {
    const needing = (Object.keys(SERVICE_OPERATIONS) as OperationMethod[]).filter((method) => {
      const { access, states } = SERVICE_OPERATIONS[method];
      return (access === 'use' || access === 'export') && states !== null;
    });
    expect(needing.length).toBeGreaterThan(15);
    for (const method of needing) expect(CASES, method).toHaveProperty(method);
  });

  for (const [method, run] of Object.entries(CASES) as [OperationMethod, Case][]) {
    it(`${method}: KEY_PIN_REQUIRED without the PIN, KEY_PIN_INVALID with a wrong one, works with it`, async () => {
      await expectKmsError(run(t.kms, f, ADMIN), 'KEY_PIN_REQUIRED');
      await expectKmsError(run(t.kms, f, { ...ADMIN, keyPin: '1357' }), 'KEY_PIN_INVALID');
      await run(t.kms, f, PINNED);
    });
  }

  it('ReEncrypt checks the destination key too', async () => {
    const plain = (await t.kms.createKey({})).keyMetadata.keyId;
    const { ciphertextBlob } = await t.kms.encrypt({ keyId: plain, plaintext: message });
    await expectKmsError(t.kms.reEncrypt({ ciphertextBlob, destinationKeyId: f.keys.aes }, ADMIN), 'KEY_PIN_REQUIRED');
    await t.kms.reEncrypt({ ciphertextBlob, destinationKeyId: f.keys.aes }, PINNED);
  });

  it('reads need no PIN: DescribeKey, GetPublicKey, GetJwk, AttestKey', async () => {
    await t.kms.describeKey({ keyId: f.keys.sign }, ADMIN);
    await t.kms.getPublicKey({ keyId: f.keys.sign }, ADMIN);
    await t.kms.getJwk({ keyId: f.keys.sign }, ADMIN);
    await t.kms.attestKey({ keyId: f.keys.sign, challenge: new Uint8Array(16) }, ADMIN);
  });
});
