// A private JWK (RFC 7517/7518/8037) as Custos key material: the spec it is, the usage and algorithm its JOSE `alg`
// names, and canonical PKCS#8 checked like any imported key (families/key-pair.ts). Pure; must not import store,
// service or api.
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ValidationError, type Jwk } from '@custos/contract';
import { keyMatchesSpec } from '../families/key-pair.js';
import { validateImportedMaterial, type GeneratedKey } from '../key-material.js';
import { KEY_SPEC_ENTRIES, algorithmsFor, type KeySpecEntry } from '../key-specs.js';
import { SecretBytes } from '../secret-bytes.js';
import { joseKeyChoice, type JoseKeyChoice } from './algorithms.js';

const invalid = (why: string) => new ValidationError(`not an importable private JWK: ${why}`, 'INVALID_KEY_MATERIAL');

/** The key-material members of a JWK (node parses these; kid, alg, key_ops and x5c are Custos's to set). */
const MATERIAL_MEMBERS = ['kty', 'crv', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'x', 'y'] as const;

function parse(jwk: Jwk): KeyObject {
  if (jwk.kty === 'oct') throw invalid('symmetric (oct) JWKs are not imported this way');
  if (typeof jwk.d !== 'string') throw invalid('it has no private part (d): a public JWK');
  const material: JsonWebKey = Object.fromEntries(
    MATERIAL_MEMBERS.flatMap((m) => (jwk[m] === undefined ? [] : [[m, jwk[m]]])),
  );
  try {
    return createPrivateKey({ key: material, format: 'jwk' });
  } catch {
    throw invalid('its members do not form a private key');
  }
}

/** What an imported JWK becomes: its spec, usage and allowed algorithm, and the checked material (wipe it). */
export interface ImportedJwk {
  readonly choice: JoseKeyChoice;
  readonly key: GeneratedKey;
}

/**
 * Parses a private JWK; `alg` (else the JWK's own) picks usage and algorithm, which the key's spec must have.
 * INVALID_KEY_MATERIAL for a public, malformed or unsupported JWK; UNSUPPORTED or INVALID_KEY_USAGE for the alg.
 * @example const { choice, key } = importPrivateJwk(jwk, 'ES256');
 */
export function importPrivateJwk(jwk: Jwk, alg: string | undefined): ImportedJwk {
  const parsed = parse(jwk);
  const spec: KeySpecEntry | undefined = KEY_SPEC_ENTRIES.find(
    (s) => s.family.material === 'pkcs8' && keyMatchesSpec(s, parsed),
  );
  if (spec === undefined) throw invalid('no key spec has this key type, size or curve');
  const name = alg ?? (typeof jwk.alg === 'string' ? jwk.alg : undefined) ?? defaultAlg(spec);
  if (name === undefined) throw new ValidationError(`a ${spec.name} JWK needs an alg to say what it is for`);
  const named = joseKeyChoice(name);
  if (!algorithmsFor(spec, named.usage).includes(named.algorithm))
    throw new ValidationError(`a ${spec.name} key cannot be used for ${name}`, 'INVALID_KEY_USAGE');
  const der = SecretBytes.adopt(new Uint8Array(parsed.export({ type: 'pkcs8', format: 'der' })));
  let key: GeneratedKey;
  try {
    key = validateImportedMaterial(spec, der);
  } finally {
    der.wipe();
  }
  // node may rebuild the public part from `d` alone: a JWK whose x, y, n or e are not d's is refused, not repaired.
  if (!samePublicMembers(jwk, key.publicKey)) {
    key.material.wipe();
    throw invalid('its public members do not belong to its private key');
  }
  return { choice: { ...named, spec }, key };
}

function samePublicMembers(jwk: Jwk, spki: Uint8Array | undefined): boolean {
  if (spki === undefined) return false;
  const actual = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  return (['x', 'y', 'n', 'e'] as const).every((m) => jwk[m] === undefined || jwk[m] === actual[m]);
}

/**
 * The JOSE name of the spec's first usage when that usage has exactly one (EdDSA, ES256, ECDH-ES for X25519); none
 * for RSA, whose first usage has two (RSA-OAEP, RSA-OAEP-256) and which signs with six more.
 */
function defaultAlg(spec: KeySpecEntry): string | undefined {
  const [usage] = spec.usages;
  if (usage === undefined) return undefined;
  const names = new Set(algorithmsFor(spec, usage).flatMap((a) => spec.family.joseAlg(spec, a) ?? []));
  return names.size === 1 ? [...names][0] : undefined;
}
