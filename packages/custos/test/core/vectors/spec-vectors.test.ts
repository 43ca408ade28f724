// Every key spec has vectors: the table is keyed by KeySpec, so a new spec without a row does not compile, and each
// row's files must exist and hold groups for the spec's key size or curve. The runners beside it read these files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeySpec } from '@custos/contract';
import { KEY_SPEC_TABLE } from '../../../src/core/key-specs.js';
import { WYCHEPROOF_DIR, loadWycheproof, type WycheproofGroup } from './wycheproof.js';

/** Signature files name the curve in the group's public key; ECDH and XDH files in the group. */
const publicKeyCurve = (group: WycheproofGroup) =>
  typeof group.publicKey === 'object' && group.publicKey !== null && 'curve' in group.publicKey
    ? group.publicKey.curve
    : undefined;

/** Each spec's Wycheproof files, and for EC/OKP the curve as Wycheproof names it. */
const SPEC_VECTORS: Record<KeySpec, { readonly files: readonly string[]; readonly curve?: string }> = {
  SYMMETRIC_DEFAULT: { files: ['aes_gcm_test.json'] },
  AES_128: { files: ['aes_gcm_test.json'] },
  AES_192: { files: ['aes_gcm_test.json'] },
  AES_256: { files: ['aes_gcm_test.json'] },
  HMAC_224: { files: ['hmac_sha224_test.json'] },
  HMAC_256: { files: ['hmac_sha256_test.json'] },
  HMAC_384: { files: ['hmac_sha384_test.json'] },
  HMAC_512: { files: ['hmac_sha512_test.json'] },
  RSA_2048: {
    files: [
      'rsa_oaep_2048_sha1_mgf1sha1_test.json',
      'rsa_oaep_2048_sha256_mgf1sha256_test.json',
      'rsa_pss_2048_sha256_mgf1_32_test.json',
      'rsa_signature_2048_sha256_test.json',
    ],
  },
  RSA_3072: {
    files: [
      'rsa_oaep_3072_sha256_mgf1sha256_test.json',
      'rsa_pss_3072_sha256_mgf1_32_test.json',
      'rsa_signature_3072_sha256_test.json',
    ],
  },
  RSA_4096: {
    files: [
      'rsa_oaep_4096_sha256_mgf1sha256_test.json',
      'rsa_pss_4096_sha512_mgf1_64_test.json',
      'rsa_signature_4096_sha256_test.json',
    ],
  },
  ECC_NIST_P256: { files: ['ecdsa_secp256r1_sha256_test.json', 'ecdh_secp256r1_test.json'], curve: 'secp256r1' },
  ECC_NIST_P384: { files: ['ecdsa_secp384r1_sha384_test.json', 'ecdh_secp384r1_test.json'], curve: 'secp384r1' },
  ECC_NIST_P521: { files: ['ecdsa_secp521r1_sha512_test.json', 'ecdh_secp521r1_test.json'], curve: 'secp521r1' },
  ECC_SECG_P256K1: { files: ['ecdsa_secp256k1_sha256_test.json'], curve: 'secp256k1' },
  ECC_NIST_EDWARDS25519: { files: ['ed25519_test.json'], curve: 'edwards25519' },
  X25519: { files: ['x25519_test.json'], curve: 'curve25519' },
  ML_DSA_44: { files: ['mldsa_44_verify_test.json', 'mldsa_44_sign_seed_test.json'] },
  ML_DSA_65: { files: ['mldsa_65_verify_test.json', 'mldsa_65_sign_seed_test.json'] },
  ML_DSA_87: { files: ['mldsa_87_verify_test.json', 'mldsa_87_sign_seed_test.json'] },
  ML_KEM_512: { files: ['mlkem_512_test.json', 'mlkem_512_keygen_seed_test.json', 'mlkem_512_encaps_test.json'] },
  ML_KEM_768: { files: ['mlkem_768_test.json', 'mlkem_768_keygen_seed_test.json', 'mlkem_768_encaps_test.json'] },
  ML_KEM_1024: { files: ['mlkem_1024_test.json', 'mlkem_1024_keygen_seed_test.json', 'mlkem_1024_encaps_test.json'] },
};

describe('every key spec has vectors', () => {
  it.each(Object.values(KEY_SPEC_TABLE).map((spec) => [spec.name, spec] as const))(
    '%s: its files exist and cover its key size or curve',
    (name, spec) => {
      const { files, curve } = SPEC_VECTORS[name];
      expect(files.length).toBeGreaterThan(0);
      const bits = spec.modulusBits ?? (spec.keyBytes === undefined ? undefined : spec.keyBytes * 8);
      for (const file of files) {
        expect(existsSync(join(WYCHEPROOF_DIR, file)), file).toBe(true);
        const vectors = loadWycheproof(file);
        // ML-DSA/ML-KEM files are one parameter set each: ML-DSA-44 / ML-KEM-512 (the family's FIPS name).
        const family = spec.family;
        if (family.material === 'seed') {
          expect(
            vectors.algorithm === family.pq.name || vectors.testGroups.some((g) => g.parameterSet === family.pq.name),
          ).toBe(true);
          continue;
        }
        const covers = (group: WycheproofGroup) =>
          bits !== undefined ? group.keySize === bits : (group.curve ?? publicKeyCurve(group)) === curve;
        expect(vectors.testGroups.some(covers), `${file} has a group for ${name}`).toBe(true);
      }
    },
  );
});
