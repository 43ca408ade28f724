// The console's one module that loads @peculiar/x509 (certificates: subject, issuer, validity, serial, public key,
// signature checks with WebCrypto). tsyringe, under it, needs Reflect's metadata API when it loads, so the lite
// reflect-metadata (no eval, no Function: the console's Content-Security-Policy forbids both) comes first.
import 'reflect-metadata/lite';
import { X509Certificate } from '@peculiar/x509';
import * as asn1js from 'asn1js';

export type { X509Certificate };

export const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** One PEM certificate; throws on anything else. */
export function readCertificate(pem: string): X509Certificate {
  return new X509Certificate(pem);
}

/**
 * The value (extnValue's contents) of the extension of `cert` whose extnID's DER is `oidDer` (hex), or undefined.
 * Read with asn1js from the certificate's own DER, the extnIDs compared as DER: asn1js reads a 2.25.<128-bit UUID>
 * arc as something else, so x509's parsed extensions do not carry such an OID.
 */
export function extensionValue(cert: X509Certificate, oidDer: string): Uint8Array | undefined {
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
    if (id && value instanceof asn1js.OctetString && hex(id.valueBeforeDecodeView) === oidDer)
      return value.valueBlock.valueHexView;
  }
  return undefined;
}
