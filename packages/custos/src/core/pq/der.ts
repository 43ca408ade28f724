// DER for ML-DSA and ML-KEM keys: SPKI with the raw public key (RFC 9881 §4, RFC 9935 §4) and the seed-only PKCS#8
// private key (RFC 9881 §6, RFC 9935 §6: `seed [0] IMPLICIT OCTET STRING`), the form Node 24 and AWS use.
// Pure; must not import store, service or api.
import { ValidationError } from '@custos/contract';
import type { PqParameters } from './parameters.js';

/** A DER length: short form below 128, else 0x81/0x82 + big-endian bytes (no PQ key needs more than 2). */
function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  if (length < 0x100) return [0x81, length];
  return [0x82, length >> 8, length & 0xff];
}

function tlv(tag: number, body: Uint8Array): Uint8Array {
  return Uint8Array.from([tag, ...derLength(body.length), ...body]);
}

/** OID 2.16.840.1.101.3.4.{3,4}.n, DER-encoded (NIST CSOR: sigAlgs 3.17-19 ML-DSA, kems 4.1-3 ML-KEM). */
function algorithmIdentifier(parameters: PqParameters): Uint8Array {
  const arcs = parameters.oid.split('.').map(Number);
  const [, , , , , , , arc7, arc8] = arcs;
  if (arcs.length !== 9 || arc7 === undefined || arc8 === undefined)
    throw new Error(`unexpected OID ${parameters.oid}`);
  const oid = Uint8Array.from([0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, arc7, arc8]);
  return tlv(0x30, tlv(0x06, oid)); // parameters absent (RFC 9881 §2)
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

/** SPKI DER of a raw public key. */
export function encodeSpki(parameters: PqParameters, publicKey: Uint8Array): Uint8Array {
  return tlv(0x30, concat(algorithmIdentifier(parameters), tlv(0x03, concat(Uint8Array.of(0), publicKey))));
}

/** The raw public key of SPKI DER for `parameters`; ValidationError('INVALID_PUBLIC_KEY') for anything else. */
export function decodeSpki(parameters: PqParameters, spki: Uint8Array): Uint8Array {
  const prefix = encodeSpki(parameters, new Uint8Array(parameters.publicKeyBytes)).subarray(
    0,
    -parameters.publicKeyBytes,
  );
  const matches =
    spki.length === prefix.length + parameters.publicKeyBytes && prefix.every((byte, i) => spki[i] === byte);
  if (!matches) throw new ValidationError(`public key is not ${parameters.name} SPKI DER`, 'INVALID_PUBLIC_KEY');
  return spki.slice(prefix.length);
}

/** Seed-only PKCS#8 DER of a seed (the caller wipes the result when done). */
export function encodeSeedPkcs8(parameters: PqParameters, seed: Uint8Array): Uint8Array {
  const version = Uint8Array.of(0x02, 0x01, 0x00);
  return tlv(0x30, concat(version, algorithmIdentifier(parameters), tlv(0x04, tlv(0x80, seed))));
}

/** The seed of seed-only PKCS#8 DER for `parameters`, or undefined (expanded or both forms are not accepted). */
export function decodeSeedPkcs8(parameters: PqParameters, der: Uint8Array): Uint8Array | undefined {
  const prefix = encodeSeedPkcs8(parameters, new Uint8Array(parameters.seedBytes)).subarray(0, -parameters.seedBytes);
  const matches = der.length === prefix.length + parameters.seedBytes && prefix.every((byte, i) => der[i] === byte);
  return matches ? der.slice(prefix.length) : undefined;
}
