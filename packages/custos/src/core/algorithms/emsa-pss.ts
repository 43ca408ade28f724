// EMSA-PSS encoding over a precomputed digest (RFC 8017 §9.1), for RSASSA-PSS with message type DIGEST, which
// node:crypto cannot do. Delegates to node-forge's pss module; the RSA operation itself stays in OpenSSL. Pure.
import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import type { HashName } from './digests.js';

type PssHash = Extract<HashName, 'sha256' | 'sha384' | 'sha512'>;
const FORGE_MD: Record<PssHash, () => forge.md.MessageDigest> = {
  sha256: () => forge.md.sha256.create(),
  sha384: () => forge.md.sha384.create(),
  sha512: () => forge.md.sha512.create(),
};

/** The part of forge's (untyped) PSS object we use: `encode(md, modBits)` and `verify(mHash, em, modBits)`. */
interface ForgePss {
  encode(md: { digest(): forge.util.ByteStringBuffer }, modBits: number): string;
  verify(mHash: string, em: string, modBits: number): boolean;
}

/** MGF1 with the message hash and salt length = digest length, as AWS KMS signs (CRYPTO-PITFALLS 5). */
function pss(hash: PssHash, salt?: Uint8Array): ForgePss {
  const md = FORGE_MD[hash]();
  const mgf: unknown = forge.mgf.mgf1.create(FORGE_MD[hash]()); // forge's typings say `any`
  const options = { md, mgf, saltLength: md.digestLength };
  return forge.pss.create(
    salt === undefined ? options : { ...options, salt: forge.util.createBuffer(Buffer.from(salt).toString('binary')) },
  ) as ForgePss;
}

/** EM for `digest` (RFC 8017 §9.1.1), left-padded to `k` bytes for the raw RSA operation; fresh random salt from node. */
export function emsaPssEncode(hash: PssHash, digest: Uint8Array, modBits: number, k: number): Uint8Array {
  const salt = randomBytes(FORGE_MD[hash]().digestLength);
  // forge takes mHash from md.digest(); handing it the caller's digest is exactly EMSA-PSS step 2 skipped.
  const precomputed = { digest: () => forge.util.createBuffer(Buffer.from(digest).toString('binary')) };
  const em = Buffer.from(pss(hash, salt).encode(precomputed, modBits), 'binary');
  const out = new Uint8Array(k);
  out.set(em, k - em.length);
  return out;
}

/** RFC 8017 §9.1.2 over the `k`-byte output of the raw RSA public operation; false for any inconsistency. */
export function emsaPssVerify(hash: PssHash, digest: Uint8Array, em: Uint8Array, modBits: number): boolean {
  const emLen = Math.ceil((modBits - 1) / 8);
  // §8.1.2 step 2.c: EM is the emLen low-order bytes; any byte above them must be zero.
  if (em.subarray(0, em.length - emLen).some((b) => b !== 0)) return false;
  try {
    return pss(hash).verify(
      Buffer.from(digest).toString('binary'),
      Buffer.from(em.subarray(em.length - emLen)).toString('binary'),
      modBits,
    );
  } catch {
    return false;
  }
}
