// The attested properties of a key and their DER (the certificate extension of docs/attestation.md), defined with
// @peculiar/asn1-schema, and their JSON form (the JWS payload of a symmetric key's attestation). Pure: no store,
// service or api.
import { AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';

/**
 * The extension's OID: 2.25.<UUID dbe229ff-6f93-4a37-b49b-d87e87565749 as a decimal integer> (ITU-T X.667: an arc
 * anyone may use without registration). Fixed forever: verifiers look for it.
 */
export const ATTESTATION_EXTENSION_OID = '2.25.292275241983431536734232649673878165321';

/** The format version in the extension (and the JWS payload's `version`). */
export const ATTESTATION_VERSION = 1;

/** Where the key material came from: HUKS's "key flag" values (1 import, 2 generate, 3 agree, 4 derive). */
const KEY_ORIGINS = { IMPORTED: 1, GENERATED: 2, AGREED: 3, DERIVED: 4 } as const;
export type KeyOrigin = keyof typeof KEY_ORIGINS;
const PROTECTION_LEVELS = { SOFTWARE: 1, HSM: 2 } as const;
type AttestedProtection = keyof typeof PROTECTION_LEVELS;

/** What an attestation says about a key (the same fields in the extension and in the JWS payload). */
export interface AttestedProperties {
  readonly version: number;
  /** The verifier's challenge, hex. */
  readonly challenge: string;
  readonly keyId: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly origin: KeyOrigin;
  readonly protectionLevel: AttestedProtection;
  readonly exportable: boolean;
  readonly creationTime: string; // ISO 8601
  readonly keyState: string;
  readonly constraints: {
    readonly notBefore?: string;
    readonly notAfter?: string;
    readonly maxUses?: number;
    readonly allowedAlgorithms?: readonly string[];
  };
}

// The ASN.1 module (docs/attestation.md). asn1-schema's decorators are applied as plain calls: the project compiles
// without legacy decorators, and a decorator is only a function of (prototype, property).
class AsnConstraints {
  notBefore?: Date;
  notAfter?: Date;
  maxUses?: number;
  allowedAlgorithms?: string[];
}
AsnProp({ type: AsnPropTypes.GeneralizedTime, context: 0, implicit: true, optional: true })(
  AsnConstraints.prototype,
  'notBefore',
);
AsnProp({ type: AsnPropTypes.GeneralizedTime, context: 1, implicit: true, optional: true })(
  AsnConstraints.prototype,
  'notAfter',
);
AsnProp({ type: AsnPropTypes.Integer, context: 2, implicit: true, optional: true })(
  AsnConstraints.prototype,
  'maxUses',
);
AsnProp({ type: AsnPropTypes.Utf8String, context: 3, implicit: true, optional: true, repeated: 'sequence' })(
  AsnConstraints.prototype,
  'allowedAlgorithms',
);
AsnType({ type: AsnTypeTypes.Sequence })(AsnConstraints);

class AsnKeyAttestation {
  version = ATTESTATION_VERSION;
  challenge = new ArrayBuffer(0);
  keyId = '';
  keySpec = '';
  keyUsage = '';
  origin = 0;
  protectionLevel = 0;
  exportable = false;
  creationTime = new Date(0);
  keyState = '';
  constraints = new AsnConstraints();
}
const FIELDS: [keyof AsnKeyAttestation, AsnPropTypes | typeof AsnConstraints][] = [
  ['version', AsnPropTypes.Integer],
  ['challenge', AsnPropTypes.OctetString],
  ['keyId', AsnPropTypes.Utf8String],
  ['keySpec', AsnPropTypes.Utf8String],
  ['keyUsage', AsnPropTypes.Utf8String],
  ['origin', AsnPropTypes.Enumerated],
  ['protectionLevel', AsnPropTypes.Enumerated],
  ['exportable', AsnPropTypes.Boolean],
  ['creationTime', AsnPropTypes.GeneralizedTime],
  ['keyState', AsnPropTypes.Utf8String],
  ['constraints', AsnConstraints],
];
for (const [field, type] of FIELDS) AsnProp({ type })(AsnKeyAttestation.prototype, field);
AsnType({ type: AsnTypeTypes.Sequence })(AsnKeyAttestation);

const nameOf = <T extends string>(table: Readonly<Record<T, number>>, value: number, what: string): T => {
  const found = (Object.keys(table) as T[]).find((k) => table[k] === value);
  if (found === undefined) throw new Error(`unknown ${what} ${String(value)}`);
  return found;
};

/** GeneralizedTime has whole seconds here (DER forbids a trailing zero fraction; we carry none). */
const seconds = (iso: string): Date => new Date(Math.floor(Date.parse(iso) / 1000) * 1000);

/** The extension value's DER. */
export function encodeProperties(p: AttestedProperties): Uint8Array {
  const asn = new AsnKeyAttestation();
  asn.version = p.version;
  asn.challenge = Uint8Array.from(Buffer.from(p.challenge, 'hex')).buffer;
  asn.keyId = p.keyId;
  asn.keySpec = p.keySpec;
  asn.keyUsage = p.keyUsage;
  asn.origin = KEY_ORIGINS[p.origin];
  asn.protectionLevel = PROTECTION_LEVELS[p.protectionLevel];
  asn.exportable = p.exportable;
  asn.creationTime = seconds(p.creationTime);
  asn.keyState = p.keyState;
  const c = p.constraints;
  if (c.notBefore !== undefined) asn.constraints.notBefore = seconds(c.notBefore);
  if (c.notAfter !== undefined) asn.constraints.notAfter = seconds(c.notAfter);
  if (c.maxUses !== undefined) asn.constraints.maxUses = c.maxUses;
  if (c.allowedAlgorithms !== undefined) asn.constraints.allowedAlgorithms = [...c.allowedAlgorithms];
  return new Uint8Array(AsnConvert.serialize(asn));
}

/** Parses the extension value; throws (a plain Error, the verifier's to report) on anything malformed. */
export function decodeProperties(der: Uint8Array): AttestedProperties {
  const asn = AsnConvert.parse(der, AsnKeyAttestation);
  const c = asn.constraints;
  return {
    version: asn.version,
    challenge: Buffer.from(asn.challenge).toString('hex'),
    keyId: asn.keyId,
    keySpec: asn.keySpec,
    keyUsage: asn.keyUsage,
    origin: nameOf(KEY_ORIGINS, asn.origin, 'origin'),
    protectionLevel: nameOf(PROTECTION_LEVELS, asn.protectionLevel, 'protection level'),
    exportable: asn.exportable,
    creationTime: asn.creationTime.toISOString(),
    keyState: asn.keyState,
    constraints: {
      ...(c.notBefore && { notBefore: c.notBefore.toISOString() }),
      ...(c.notAfter && { notAfter: c.notAfter.toISOString() }),
      ...(c.maxUses !== undefined && { maxUses: c.maxUses }),
      ...(c.allowedAlgorithms && { allowedAlgorithms: c.allowedAlgorithms }),
    },
  };
}
