// Public keys imported as keys of their own (ImportPublicKey): SPKI DER, PEM or JWK parsed with @peculiar/asn1-*, checked
// strictly (canonical DER, named curves, RSA size and exponent) and matched to a key spec. Pure; no store, service or api.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { ECParameters, id_ecPublicKey } from '@peculiar/asn1-ecc';
import { ValidationError, type ErrorCode } from '@custos/contract';
import { RSA } from './families/rsa.js';
import { keyMatchesSpec } from './families/key-pair.js';
import { KEY_SPEC_ENTRIES, type KeySpecEntry } from './key-specs.js';

/** A public key that passed every check: its spec and canonical SPKI DER (exactly the bytes given, for DER input). */
export interface ImportedPublicKey {
  readonly spec: KeySpecEntry;
  readonly spki: Uint8Array;
}

type PublicKeyCode = Extract<
  ErrorCode,
  | 'INVALID_PUBLIC_KEY'
  | 'PUBLIC_KEY_NOT_CANONICAL'
  | 'PUBLIC_KEY_EXPLICIT_CURVE'
  | 'PUBLIC_KEY_RSA_SIZE'
  | 'PUBLIC_KEY_RSA_EXPONENT'
  | 'PUBLIC_KEY_PEM_TYPE'
  | 'PUBLIC_KEY_PRIVATE_JWK'
>;
const refuse = (code: PublicKeyCode, why: string) => new ValidationError(`invalid public key: ${why}`, code);

/** JWK members only a private (or secret) key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_JWK_FIELDS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
const PEM_BLOCK = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END \1-----\r?\n?$/;
/** FIPS 186-5 §5.4 (and NIST SP 800-56B §6.2.1): 2^16 < e < 2^256, e odd. */
const MIN_EXPONENT = 2n ** 16n;
const MAX_EXPONENT = 2n ** 256n;

/**
 * Parses and checks a public key for import: SPKI DER bytes, or the UTF-8 text of a PEM `PUBLIC KEY` block or of a
 * public JWK. The key spec comes from the key (the curve; the RSA modulus, which must be 2048, 3072 or 4096 bits).
 * Codes: PUBLIC_KEY_PEM_TYPE (another PEM block), PUBLIC_KEY_PRIVATE_JWK, PUBLIC_KEY_NOT_CANONICAL (not DER, or a
 * compressed point), PUBLIC_KEY_EXPLICIT_CURVE, PUBLIC_KEY_RSA_SIZE, PUBLIC_KEY_RSA_EXPONENT, INVALID_PUBLIC_KEY.
 * @example const { spec, spki } = importPublicKeyBytes(readFileSync('peer.pem'));
 */
export function importPublicKeyBytes(input: Uint8Array): ImportedPublicKey {
  const head = new TextDecoder().decode(input.subarray(0, 64)).trimStart();
  if (head.startsWith('-----BEGIN')) return checkSpki(pemToDer(new TextDecoder().decode(input)));
  if (head.startsWith('{')) return checkSpki(jwkToDer(new TextDecoder().decode(input)));
  return checkSpki(input);
}

function pemToDer(pem: string): Uint8Array {
  const match = PEM_BLOCK.exec(pem.trim() + '\n');
  if (!match) throw refuse('INVALID_PUBLIC_KEY', 'expected one PEM block');
  if (match[1] !== 'PUBLIC KEY')
    throw refuse(
      'PUBLIC_KEY_PEM_TYPE',
      `a '${match[1] ?? ''}' PEM block; expected 'PUBLIC KEY' (SubjectPublicKeyInfo)`,
    );
  const body = (match[2] ?? '').replace(/[\r\n]/g, '');
  const der = Buffer.from(body, 'base64');
  // Buffer's decoder skips bad characters silently; insist the text is exactly the encoding of the bytes.
  if (body === '' || der.toString('base64') !== body) throw refuse('INVALID_PUBLIC_KEY', 'the PEM body is not base64');
  return new Uint8Array(der);
}

/** A public JWK becomes SPKI DER through node (which encodes canonically); the DER then gets every check. */
function jwkToDer(text: string): Uint8Array {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw refuse('INVALID_PUBLIC_KEY', 'not valid JWK JSON');
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw refuse('INVALID_PUBLIC_KEY', 'not a JWK');
  if (PRIVATE_JWK_FIELDS.some((field) => field in jwk))
    throw refuse('PUBLIC_KEY_PRIVATE_JWK', 'the JWK holds private key members; give the public key only');
  try {
    return new Uint8Array(
      createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'der' }),
    );
  } catch {
    throw refuse('INVALID_PUBLIC_KEY', 'the JWK cannot be parsed');
  }
}

const sameBytes = (a: ArrayBuffer | Uint8Array, b: Uint8Array) => Buffer.from(a as ArrayBuffer).equals(b);

function checkSpki(der: Uint8Array): ImportedPublicKey {
  let info: SubjectPublicKeyInfo;
  try {
    info = AsnConvert.parse(der, SubjectPublicKeyInfo);
  } catch {
    throw refuse('INVALID_PUBLIC_KEY', 'not a SubjectPublicKeyInfo');
  }
  // DER: one encoding per value; re-encoding the parsed structure must give back the very bytes (long-form lengths,
  // trailing bytes and the like differ).
  if (!sameBytes(AsnConvert.serialize(info), der))
    throw refuse('PUBLIC_KEY_NOT_CANONICAL', 'not the DER encoding of a SubjectPublicKeyInfo');
  const spec = info.algorithm.algorithm === RSA.oid ? rsaSpec(info) : curveSpec(info);
  // node parses what the structure checks let through: the point must lie on the curve, and OpenSSL's own DER of the
  // key must equal the input (minimal INTEGERs, uncompressed point).
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch {
    throw refuse('INVALID_PUBLIC_KEY', 'the key cannot be parsed (a point off the curve?)');
  }
  if (!keyMatchesSpec(spec, key)) throw refuse('INVALID_PUBLIC_KEY', `not a ${spec.name} public key`);
  if (!key.export({ type: 'spki', format: 'der' }).equals(der))
    throw refuse('PUBLIC_KEY_NOT_CANONICAL', 'not the canonical encoding (compressed point or non-minimal integers)');
  return { spec, spki: new Uint8Array(der) };
}

const unsigned = (bytes: ArrayBuffer) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

function rsaSpec(info: SubjectPublicKeyInfo): KeySpecEntry {
  let key: RSAPublicKey;
  try {
    key = AsnConvert.parse(info.subjectPublicKey, RSAPublicKey);
  } catch {
    throw refuse('INVALID_PUBLIC_KEY', 'not an RSAPublicKey');
  }
  if (!sameBytes(AsnConvert.serialize(key), new Uint8Array(info.subjectPublicKey)))
    throw refuse('PUBLIC_KEY_NOT_CANONICAL', 'not the DER encoding of an RSAPublicKey');
  const bits = unsigned(key.modulus).toString(2).length;
  const spec = KEY_SPEC_ENTRIES.find((entry) => entry.family === RSA && entry.modulusBits === bits);
  if (!spec) throw refuse('PUBLIC_KEY_RSA_SIZE', `a ${bits}-bit modulus; RSA keys are 2048, 3072 or 4096 bits`);
  const e = unsigned(key.publicExponent);
  if (e % 2n === 0n || e <= MIN_EXPONENT || e >= MAX_EXPONENT)
    throw refuse('PUBLIC_KEY_RSA_EXPONENT', 'the RSA exponent must be odd, above 2^16 and below 2^256 (FIPS 186-5)');
  return spec;
}

/** EC (the namedCurve OID names the family) and OKP (the algorithm OID does) keys. */
function curveSpec(info: SubjectPublicKeyInfo): KeySpecEntry {
  const ec = info.algorithm.algorithm === id_ecPublicKey;
  let oid = info.algorithm.algorithm;
  if (ec) {
    const parameters = info.algorithm.parameters;
    let parsed: ECParameters;
    try {
      if (!parameters) throw new Error('no parameters');
      parsed = AsnConvert.parse(parameters, ECParameters);
    } catch {
      throw refuse('INVALID_PUBLIC_KEY', 'EC parameters are missing or malformed');
    }
    // CRYPTO-PITFALLS 4: OpenSSL accepts spelled-out curve parameters (even wrong ones) and reports the named curve.
    if (parsed.specifiedCurve) throw refuse('PUBLIC_KEY_EXPLICIT_CURVE', 'explicit curve parameters; name the curve');
    if (!parsed.namedCurve) throw refuse('INVALID_PUBLIC_KEY', 'the EC key names no curve');
    oid = parsed.namedCurve;
  }
  const spec = KEY_SPEC_ENTRIES.find((entry) => entry.family.material === 'pkcs8' && entry.family.oid === oid);
  if (!spec) throw refuse('INVALID_PUBLIC_KEY', `unsupported key type or curve (${oid})`);
  // SEC 1 §2.3.3: 04 || X || Y. OpenSSL keeps (and re-exports) a compressed point as given, so check the form here:
  // Custos stores and returns uncompressed points only, the form AWS KMS GetPublicKey returns.
  const point = new Uint8Array(info.subjectPublicKey);
  const fieldBytes = spec.family.material === 'pkcs8' ? (spec.family.fieldBytes ?? 0) : 0;
  if (ec && (point[0] !== 0x04 || point.length !== 1 + 2 * fieldBytes))
    throw refuse('PUBLIC_KEY_NOT_CANONICAL', 'a compressed or malformed EC point; give the uncompressed point');
  return spec;
}
