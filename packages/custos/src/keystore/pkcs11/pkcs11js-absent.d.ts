// What TypeScript sees for `pkcs11js` when the optional package is not installed (no compiler on the machine): the
// tsconfig `paths` fall back here, so `npm install` (which builds) still succeeds and the file root works. The real
// package's own types are used whenever it is installed, which CI and the PKCS#11 tests require. Loose on purpose:
// nothing calls pkcs11js on a machine that lacks it (module.ts refuses with UNSUPPORTED first).
/* eslint-disable @typescript-eslint/no-explicit-any -- stand-in types for an absent package, see above */
export type Handle = Buffer;
export interface Attribute {
  type: number;
  value?: any;
}
export type Template = Attribute[];
export type TemplateResult = Attribute[];
export interface Mechanism {
  mechanism: number;
  parameter?: any;
}
export interface RsaPSS {
  type?: number;
  hashAlg: number;
  mgf: number;
  saltLen: number;
}
export interface RsaOAEP {
  type?: number;
  hashAlg: number;
  mgf: number;
  source: number;
  sourceData?: Buffer;
}
export interface AesGCM {
  type?: number;
  iv: Buffer;
  aad?: Buffer;
  ivBits?: number;
  tagBits: number;
}
export declare const CKA_ALWAYS_SENSITIVE: number;
export declare const CKA_CLASS: number;
export declare const CKA_DECRYPT: number;
export declare const CKA_DERIVE: number;
export declare const CKA_EC_PARAMS: number;
export declare const CKA_EC_POINT: number;
export declare const CKA_ENCRYPT: number;
export declare const CKA_EXTRACTABLE: number;
export declare const CKA_ID: number;
export declare const CKA_KEY_TYPE: number;
export declare const CKA_LABEL: number;
export declare const CKA_MODIFIABLE: number;
export declare const CKA_MODULUS: number;
export declare const CKA_MODULUS_BITS: number;
export declare const CKA_NEVER_EXTRACTABLE: number;
export declare const CKA_PRIVATE: number;
export declare const CKA_PUBLIC_EXPONENT: number;
export declare const CKA_SENSITIVE: number;
export declare const CKA_SIGN: number;
export declare const CKA_TOKEN: number;
export declare const CKA_UNWRAP: number;
export declare const CKA_VALUE: number;
export declare const CKA_VALUE_LEN: number;
export declare const CKA_VERIFY: number;
export declare const CKA_WRAP: number;
export declare const CKF_OS_LOCKING_OK: number;
export declare const CKF_RW_SESSION: number;
export declare const CKF_SERIAL_SESSION: number;
export declare const CKG_MGF1_SHA1: number;
export declare const CKG_MGF1_SHA224: number;
export declare const CKG_MGF1_SHA256: number;
export declare const CKG_MGF1_SHA384: number;
export declare const CKG_MGF1_SHA512: number;
export declare const CKK_AES: number;
export declare const CKK_GENERIC_SECRET: number;
export declare const CKM_AES_CMAC: number;
export declare const CKM_AES_GCM: number;
export declare const CKM_AES_KEY_GEN: number;
export declare const CKM_ECDSA: number;
export declare const CKM_EC_KEY_PAIR_GEN: number;
export declare const CKM_GENERIC_SECRET_KEY_GEN: number;
export declare const CKM_RSA_PKCS: number;
export declare const CKM_RSA_PKCS_KEY_PAIR_GEN: number;
export declare const CKM_RSA_PKCS_OAEP: number;
export declare const CKM_RSA_PKCS_PSS: number;
export declare const CKM_SHA224: number;
export declare const CKM_SHA224_HMAC: number;
export declare const CKM_SHA256: number;
export declare const CKM_SHA256_HMAC: number;
export declare const CKM_SHA384: number;
export declare const CKM_SHA384_HMAC: number;
export declare const CKM_SHA512: number;
export declare const CKM_SHA512_HMAC: number;
export declare const CKM_SHA_1: number;
export declare const CKM_SHA_1_HMAC: number;
export declare const CKO_PRIVATE_KEY: number;
export declare const CKO_PUBLIC_KEY: number;
export declare const CKO_SECRET_KEY: number;
export declare const CKU_USER: number;
export declare const CK_PARAMS_AES_GCM_v240: number;
export declare const CK_PARAMS_RSA_OAEP: number;
export declare const CK_PARAMS_RSA_PSS: number;
export declare class PKCS11 {
  [name: string]: any;
}
