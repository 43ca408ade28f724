// The attested properties in a key pair's attestation certificate: the KeyAttestation extension of
// docs/attestation.md, read with @peculiar/asn1-schema into the fields `custos attestation verify` prints (the same
// as a secret key's JWS payload). asn1-schema's decorators are applied as plain calls (no legacy decorators here).
import { AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import { hex } from './certificates.js';

/** The extension's OID, 2.25.292275241983431536734232649673878165321, as DER (hex): see extensionValue. */
export const ATTESTATION_OID_DER = '06146983b7e294ffedf99aa8efb4cdf68fe8bad9ae49';

export type AttestedProperties = Record<string, string | number | boolean | Record<string, unknown>>;

const ORIGINS = ['', 'IMPORTED', 'GENERATED', 'AGREED', 'DERIVED'];
const PROTECTION = ['', 'SOFTWARE', 'HSM'];

class AsnConstraints {
  notBefore?: Date;
  notAfter?: Date;
  maxUses?: number;
  allowedAlgorithms?: string[];
}
const CONSTRAINTS: [keyof AsnConstraints, AsnPropTypes][] = [
  ['notBefore', AsnPropTypes.GeneralizedTime],
  ['notAfter', AsnPropTypes.GeneralizedTime],
  ['maxUses', AsnPropTypes.Integer],
];
for (const [context, [field, type]] of CONSTRAINTS.entries())
  AsnProp({ type, context, implicit: true, optional: true })(AsnConstraints.prototype, field);
AsnProp({ type: AsnPropTypes.Utf8String, context: 3, implicit: true, optional: true, repeated: 'sequence' })(
  AsnConstraints.prototype,
  'allowedAlgorithms',
);
AsnType({ type: AsnTypeTypes.Sequence })(AsnConstraints);

class AsnKeyAttestation {
  version = 0;
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

/** The extension's value as properties; throws on anything malformed. */
export function decodeProperties(value: Uint8Array): AttestedProperties {
  const asn = AsnConvert.parse(value, AsnKeyAttestation);
  const c = asn.constraints;
  return {
    version: asn.version,
    challenge: hex(new Uint8Array(asn.challenge)),
    keyId: asn.keyId,
    keySpec: asn.keySpec,
    keyUsage: asn.keyUsage,
    origin: ORIGINS[asn.origin] ?? '?',
    protectionLevel: PROTECTION[asn.protectionLevel] ?? '?',
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
