// JOSE algorithm names (RFC 7518, 8037, 8812) ↔ Custos specs and algorithms, derived from the key families' `joseAlg`
// (never a list of its own), and JOSE's signature form (RFC 7518 §3.4: ECDSA as raw r‖s). Pure; must not import
// store, service or api.
import {
  UnsupportedError,
  ValidationError,
  type Algorithm,
  type KeyUsage,
  type SigningAlgorithm,
} from '@custos/contract';
import { jwkAlg } from '../jwk.js';
import { KEY_SPEC_ENTRIES, algorithmsFor, type KeySpecEntry } from '../key-specs.js';

/** What a JOSE algorithm name stands for: the spec a new key gets, its usage and its one allowed algorithm. */
export interface JoseKeyChoice {
  readonly alg: string;
  readonly spec: KeySpecEntry;
  readonly usage: KeyUsage;
  readonly algorithm: Algorithm;
}

/** Each JOSE name of an asymmetric spec's algorithm; the first spec in the table wins (RSA_2048, ECC_NIST_P256). */
const CHOICES: ReadonlyMap<string, JoseKeyChoice> = (() => {
  const choices = new Map<string, JoseKeyChoice>();
  for (const spec of KEY_SPEC_ENTRIES) {
    // Post-quantum JOSE names (ML-DSA-44, ML-KEM-768) are drafts: JWK `alg` only, no key is created by one.
    if (spec.family.material !== 'pkcs8') continue;
    for (const usage of spec.usages)
      for (const algorithm of algorithmsFor(spec, usage)) {
        const alg = spec.family.joseAlg(spec, algorithm);
        if (alg !== undefined && !choices.has(alg)) choices.set(alg, { alg, spec, usage, algorithm });
      }
  }
  return choices;
})();

/**
 * The spec, usage and algorithm of a new key for a JOSE algorithm; UNSUPPORTED for a name no asymmetric spec has.
 * @example joseKeyChoice('ES256K') // { spec: ECC_SECG_P256K1, usage: 'SIGN_VERIFY', algorithm: 'ECDSA_SHA_256' }
 */
export function joseKeyChoice(alg: string): JoseKeyChoice {
  const choice = CHOICES.get(alg);
  if (choice === undefined) throw new UnsupportedError(`${alg} is not a JOSE algorithm of any asymmetric key spec`);
  return choice;
}

/**
 * The JOSE signing algorithm a key uses: `requested` when the key allows it (INVALID_KEY_USAGE otherwise), else the
 * key's JWK `alg` (VALIDATION_ERROR when the key allows several and none is named).
 * @example joseSigning(spec, ['ECDSA_SHA_256'], undefined) // { alg: 'ES256', algorithm: 'ECDSA_SHA_256' }
 */
export function joseSigning(
  spec: KeySpecEntry,
  allowed: readonly Algorithm[],
  requested: string | undefined,
): { readonly alg: string; readonly algorithm: SigningAlgorithm } {
  const alg = requested ?? jwkAlg(spec, allowed);
  if (alg === undefined)
    throw new ValidationError('the key allows several JOSE algorithms: name one (alg)', 'VALIDATION_ERROR');
  const algorithm = spec.signing.find((a) => allowed.includes(a) && spec.family.joseAlg(spec, a) === alg);
  if (algorithm === undefined)
    throw new ValidationError(`a ${spec.name} key with its allowed algorithms cannot sign ${alg}`, 'INVALID_KEY_USAGE');
  return { alg, algorithm };
}

/** A Custos signature (DER for ECDSA, as AWS KMS) in JOSE form: raw r‖s, each `fieldBytes` long, for ES*. */
export function toJoseSignature(spec: KeySpecEntry, signature: Uint8Array): Uint8Array {
  const ecdsa = spec.family.material === 'pkcs8' ? spec.family.ecdsa : undefined;
  if (ecdsa === undefined) return signature;
  return ecdsa.noble.Signature.fromBytes(signature, 'der').toBytes('compact');
}

/** A JOSE signature in Custos's form (DER for ECDSA); undefined when it cannot be one (wrong length, r or s ≥ n). */
export function fromJoseSignature(spec: KeySpecEntry, signature: Uint8Array): Uint8Array | undefined {
  const family = spec.family;
  if (family.material !== 'pkcs8' || family.ecdsa === undefined) return signature;
  const ecdsa = family.ecdsa;
  if (signature.length !== 2 * (family.fieldBytes ?? 0)) return undefined;
  try {
    return ecdsa.noble.Signature.fromBytes(signature, 'compact').toBytes('der');
  } catch {
    return undefined;
  }
}
