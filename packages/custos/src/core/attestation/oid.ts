// The attestation extension's OID as DER, and finding the extension by it. asn1js (under @peculiar/x509) decodes a
// 2.25.<128-bit> arc as `2.25.{hex}` and re-encodes that as `2.25`, so an extension cannot be found (or written) by
// its dotted type: we compare encodings instead. Pure: no store, service or api.
import * as asn1js from 'asn1js';
import type { x509 } from '../certificates/x509.js';

/** DER of an OBJECT IDENTIFIER (X.690 §8.19): first two arcs as 40·a + b, each arc base-128, high bit = more. */
export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((arc) => {
    if (!/^\d+$/.test(arc)) throw new Error(`not an OID: ${dotted}`);
    return BigInt(arc);
  });
  const [a, b, ...rest] = arcs;
  if (a === undefined || b === undefined || a > 2n || (a < 2n && b > 39n)) throw new Error(`not an OID: ${dotted}`);
  const body: number[] = [];
  for (const arc of [a * 40n + b, ...rest]) {
    const groups: number[] = [Number(arc & 0x7fn)];
    for (let rest7 = arc >> 7n; rest7 > 0n; rest7 >>= 7n) groups.unshift(Number(rest7 & 0x7fn) | 0x80);
    body.push(...groups);
  }
  if (body.length > 127) throw new Error('OID too long');
  return Uint8Array.from([0x06, body.length, ...body]);
}

/**
 * The value (extnValue's contents) of the extension of `cert` whose extnID is `oid`, or undefined. Read with asn1js
 * from the certificate's own DER (x509's parsed extensions are re-encoded, with the OID mangled), extnIDs compared
 * as DER.
 */
export function extensionValue(cert: x509.X509Certificate, oid: string): Uint8Array | undefined {
  const wanted = Buffer.from(encodeOid(oid));
  const parsed = asn1js.fromBER(cert.rawData);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return undefined;
  const tbs = parsed.result.valueBlock.value[0];
  if (!(tbs instanceof asn1js.Sequence)) return undefined;
  // extensions [3] EXPLICIT Extensions (RFC 5280 §4.1): context-specific, constructed, tag number 3.
  const tagged = tbs.valueBlock.value.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 3);
  const list = tagged instanceof asn1js.Constructed ? tagged.valueBlock.value[0] : undefined;
  if (!(list instanceof asn1js.Sequence)) return undefined;
  for (const extension of list.valueBlock.value) {
    if (!(extension instanceof asn1js.Sequence)) continue;
    const [id] = extension.valueBlock.value;
    const value = extension.valueBlock.value.at(-1);
    if (id && value instanceof asn1js.OctetString && Buffer.from(id.valueBeforeDecodeView).equals(wanted))
      return new Uint8Array(value.valueBlock.valueHexView);
  }
  return undefined;
}
