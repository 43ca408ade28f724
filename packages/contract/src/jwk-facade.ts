// The jwk facade: the generic KMS seed's interface (keys as JWKs, JOSE signatures, compact JWE) over any Kms, so
// LocalKms and RemoteKms share one implementation. Must not import anything but the contract's own modules.
import type { Caller } from './caller.js';
import type { Jwk } from './schemas/common.js';
import type { KmsOperations } from './kms.js';

/** The JOSE algorithms generateKeyPair takes. */
export type JwkKeyPairAlg =
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'ES256K'
  | 'EdDSA'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'RSA-OAEP'
  | 'RSA-OAEP-256'
  | 'ECDH-ES';

/** Options of generateKeyPair and importPrivateKey. */
export interface JwkKeyOptions {
  readonly exportable?: boolean;
  readonly publishJwk?: boolean;
  readonly description?: string;
}

/**
 * The seed's key interface: keys addressed by `kid` (the Custos key id), described as JWKs. Every call is an
 * ordinary, audited Custos operation.
 * @example
 * const { kid } = await kms.jwk.generateKeyPair('ES256');
 * const signature = await kms.jwk.sign(kid, message); // raw r‖s, as a JWS carries it
 */
export interface JwkFacade {
  /** A new key pair for a JOSE algorithm; an unknown one is UNSUPPORTED. */
  generateKeyPair(alg: JwkKeyPairAlg, options?: JwkKeyOptions): Promise<{ kid: string; jwk: Jwk }>;
  /** Imports a private JWK in plaintext (origin EXTERNAL); the server may forbid it (UNSUPPORTED). */
  importPrivateKey(jwk: Jwk, options?: JwkKeyOptions): Promise<{ kid: string; jwk: Jwk }>;
  /** The private JWK of a key created exportable (ACCESS_DENIED otherwise); audited. */
  exportPrivateKey(kid: string): Promise<Jwk>;
  /** The public JWK. */
  getPublicKey(kid: string): Promise<Jwk>;
  /** Every enabled asymmetric key's public JWK. */
  getPublicKeys(): Promise<Jwk[]>;
  /** The JOSE signature of `message` with the key's `alg`. */
  sign(kid: string, message: Uint8Array): Promise<Uint8Array>;
  /** Whether `signature` (JOSE form) is the key's signature of `message`. */
  verify(kid: string, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** A compact JWE of `message`: RSA-OAEP-256 (RSA keys) or dir (symmetric keys), with A256GCM. */
  encrypt(kid: string, message: Uint8Array): Promise<string>;
  /** The plaintext of a compact JWE made for the key; INVALID_CIPHERTEXT for anything else. */
  decrypt(kid: string, jwe: string): Promise<Uint8Array>;
  /** Schedules the key's deletion with the shortest pending window (7 days, AWS's minimum). */
  destroy(kid: string): Promise<void>;
}

/** The shortest pending window AWS KMS (and Custos's default settings) accept. */
const SHORTEST_PENDING_WINDOW_DAYS = 7;

/**
 * The jwk facade over `kms`'s operations, acting as `caller` (the Kms's default caller when none).
 * @example readonly jwk = jwkFacade(this);
 */
export function jwkFacade(kms: KmsOperations, caller?: Caller): JwkFacade {
  const options = (o: JwkKeyOptions | undefined) => ({
    ...(o?.exportable !== undefined ? { exportable: o.exportable } : {}),
    ...(o?.publishJwk !== undefined ? { publishJwk: o.publishJwk } : {}),
    ...(o?.description !== undefined ? { description: o.description } : {}),
  });
  return {
    async generateKeyPair(alg, o) {
      const { kid, jwk } = await kms.generateJwkKeyPair({ alg, ...options(o) }, caller);
      return { kid, jwk };
    },
    async importPrivateKey(jwk, o) {
      const result = await kms.importJwk({ jwk, ...options(o) }, caller);
      return { kid: result.kid, jwk: result.jwk };
    },
    async exportPrivateKey(kid) {
      const { jwk } = await kms.exportKey({ keyId: kid, format: 'JWK' }, caller);
      if (jwk === undefined) throw new TypeError('ExportKey answered without a JWK');
      return jwk;
    },
    async getPublicKey(kid) {
      return (await kms.getJwk({ keyId: kid }, caller)).jwk;
    },
    async getPublicKeys() {
      return (await kms.listJwks({}, caller)).keys;
    },
    async sign(kid, message) {
      return (await kms.signJose({ keyId: kid, message }, caller)).signature;
    },
    async verify(kid, message, signature) {
      return (await kms.verifyJose({ keyId: kid, message, signature }, caller)).valid;
    },
    async encrypt(kid, message) {
      return (await kms.encryptJwe({ keyId: kid, plaintext: message }, caller)).jwe;
    },
    async decrypt(kid, jwe) {
      return (await kms.decryptJwe({ keyId: kid, jwe }, caller)).plaintext;
    },
    async destroy(kid) {
      await kms.scheduleKeyDeletion({ keyId: kid, pendingWindowInDays: SHORTEST_PENDING_WINDOW_DAYS }, caller);
    },
  };
}
