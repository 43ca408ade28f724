// A small DER reader for what the console shows of an X.509 certificate (RFC 5280): subject, issuer, validity,
// serial, the signed part and its signature, the public key, the extensions. Read only; the browser has no X.509
// parser and a library for it would be most of the bundle. Throws on anything malformed.

/** One DER element: its tag, the whole encoding and its contents. */
export interface Der {
  readonly tag: number;
  readonly whole: Uint8Array;
  readonly content: Uint8Array;
}

/** The DER element at `offset` of `bytes`. */
export function readDer(bytes: Uint8Array, offset = 0): Der {
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  if (tag === undefined || length === undefined) throw new Error('DER: truncated');
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: high tag numbers are not used in certificates');
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) throw new Error('DER: bad length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (bytes[offset + 2 + i] ?? 0);
    header += n;
  }
  const end = offset + header + length;
  if (end > bytes.length) throw new Error('DER: truncated');
  return { tag, whole: bytes.subarray(offset, end), content: bytes.subarray(offset + header, end) };
}

/** The elements inside a constructed element. */
export function children(node: Der): Der[] {
  const out: Der[] = [];
  for (let at = 0; at < node.content.length;) {
    const child = readDer(node.content, at);
    out.push(child);
    at += child.whole.length;
  }
  return out;
}

function must(node: Der | undefined): Der {
  if (!node) throw new Error('DER: a field is missing');
  return node;
}

const nth = (list: Der[], i: number): Der => must(list[i]);

/** An OBJECT IDENTIFIER's dotted text (BigInt: the 2.25 UUID arcs are 128-bit). */
function oidText(content: Uint8Array): string {
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    }
  }
  const first = arcs.shift() ?? 0n;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs].join('.');
}

export const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** UTCTime (0x17) or GeneralizedTime (0x18), whole seconds in UTC. */
export function derTime(node: Der): Date {
  const t = text(node.content);
  const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(t);
  if (!m) throw new Error(`DER: unsupported time ${t}`);
  let year = Number(m[1]);
  if (node.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** A Name as `CN=…, O=…` in the certificate's order. */
function nameText(name: Der): string {
  return children(name)
    .flatMap((set) => children(set))
    .map((attribute) => {
      const [type, value] = children(attribute);
      const oid = oidText(must(type).content);
      return `${NAME_ATTRIBUTES[oid] ?? oid}=${text(must(value).content)}`;
    })
    .join(', ');
}

/** What the console reads of a certificate. */
export interface Certificate {
  readonly der: Uint8Array;
  readonly serial: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The signed part (TBSCertificate), the signature algorithm's OID and the signature (BIT STRING contents). */
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  /** SubjectPublicKeyInfo, DER; and its algorithm parameter's OID (the curve of an EC key). */
  readonly spki: Uint8Array;
  readonly keyAlgorithm: string;
  readonly keyParameter: string;
  /** Extension OID → its value (the OCTET STRING's contents). */
  readonly extensions: ReadonlyMap<string, Uint8Array>;
}

/** The DER of a PEM block (`-----BEGIN CERTIFICATE-----`). */
function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
}

export function parseCertificate(pem: string): Certificate {
  const der = pemToDer(pem);
  const [tbsNode, algorithmNode, signatureNode] = children(readDer(der));
  const tbsFields = children(must(tbsNode));
  const skip = tbsFields[0]?.tag === 0xa0 ? 1 : 0; // [0] version
  const field = (i: number) => nth(tbsFields, skip + i);
  const validity = children(field(3));
  const [keyAlgorithm, keyParameter] = children(nth(children(field(5)), 0));
  const extensions = new Map<string, Uint8Array>();
  const wrapper = tbsFields.find((f) => f.tag === 0xa3);
  for (const extension of wrapper ? children(nth(children(wrapper), 0)) : []) {
    const parts = children(extension);
    extensions.set(oidText(nth(parts, 0).content), nth(parts, parts.length - 1).content);
  }
  return {
    der,
    serial: hex(field(0).content),
    subject: nameText(field(4)),
    issuer: nameText(field(2)),
    notBefore: derTime(nth(validity, 0)),
    notAfter: derTime(nth(validity, 1)),
    tbs: must(tbsNode).whole,
    signatureAlgorithm: oidText(nth(children(must(algorithmNode)), 0).content),
    signature: must(signatureNode).content.subarray(1), // the BIT STRING's unused-bits byte
    spki: field(5).whole,
    keyAlgorithm: oidText(must(keyAlgorithm).content),
    keyParameter: keyParameter?.tag === 0x06 ? oidText(keyParameter.content) : '',
    extensions,
  };
}
