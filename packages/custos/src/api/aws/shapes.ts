// AWS JSON 1.1 shapes ⇄ the contract's values, driven by the contract's schemas: PascalCase ⇄ camelCase field
// names, base64 ⇄ Uint8Array, epoch seconds ⇄ Date. Must not import service, store, keystore or core.
import { Kind, type TSchema } from '@sinclair/typebox';
import { UnsupportedError, ValidationError, decodeBase64 } from '@custos/contract';

/** Contract fields whose AWS name is not simply the camelCase name capitalised (AWS KMS API Reference). */
const IRREGULAR_NAMES: Readonly<Record<string, string>> = {
  awsAccountId: 'AWSAccountId', // KeyMetadata.AWSAccountId
};

/**
 * Custos fields that are not part of AWS's shapes. A request naming one (`Exportable`) is refused like any unknown
 * field; a response leaves them out, so the AWS endpoint answers exactly the shapes of the AWS KMS API Reference
 * (KeyMetadata without `usageConstraints`, GetPublicKey without `jwk`, ...). The native API (/v1) serves them.
 */
export const CUSTOS_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'exportable',
  'usageConstraints',
  'keyring',
  'derivationAlgorithms',
  'currentKeyVersion',
  'protectionLevel',
  'jwk',
  'keyVersion',
  'publicKeyOnly', // KeyMetadata of an ImportPublicKey key
  'storeAs', // DeriveSharedSecret: storing the agreement's result is Custos's
  'force', // ScheduleKeyDeletion: the AWS target passes it itself (targets.ts)
  'lastUsedAt',
  'minDecryptionVersion',
  // ListKeys' filters, sort and metadata (the AWS ListKeys has Limit and Marker only)
  'keyStates',
  'keySpecs',
  'keyUsages',
  'withTagKey',
  'withTagValue',
  'search',
  'sortBy',
  'sortOrder',
  'includeMetadata',
  'metadata',
  'aliasNames',
  'lastRotationDate',
]);

/**
 * Response fields AWS sends only in some states (AWS KMS API Reference, KeyMetadata): `PendingDeletionWindowInDays` is
 * for a multi-Region replica key whose deletion waits on its primary, `KeyState` `PendingReplicaDeletion`, a state
 * Custos never has. A key of Custos pending deletion shows its `DeletionDate`, as AWS shows it; the window stays on
 * the native API's `keyMetadata`.
 */
const AWS_FIELD_CONDITIONS: Readonly<Record<string, (object: Readonly<Record<string, unknown>>) => boolean>> = {
  pendingDeletionWindowInDays: (object) => object.keyState === 'PendingReplicaDeletion',
};

/**
 * AWS request fields of features Custos does not have (external key stores, random bytes from a custom key store,
 * Nitro Enclaves attestation, dry-run modifiers): refused with UNSUPPORTED (UnsupportedOperationException) rather than
 * as unknown fields. A field an operation's schema has (CreateKey's CustomKeyStoreId) is never looked up here.
 */
const UNSUPPORTED_AWS_FIELDS: ReadonlySet<string> = new Set([
  'CustomKeyStoreId',
  'XksKeyId',
  'XksProxyUriEndpoint',
  'XksProxyUriPath',
  'XksProxyVpcEndpointServiceName',
  'XksProxyAuthenticationCredential',
  'XksProxyConnectivity',
  'Recipient',
  'DryRunModifiers',
]);

/** Names already made (the contract's fields: a fixed set), so that a reply builds no name strings. */
const awsNames = new Map<string, string>();

/** The AWS name of a contract field: `keyId` → `KeyId`, `awsAccountId` → `AWSAccountId`. */
export function awsName(field: string): string {
  let name = awsNames.get(field);
  if (name === undefined) {
    name = IRREGULAR_NAMES[field] ?? field.charAt(0).toUpperCase() + field.slice(1);
    if (awsNames.size < 10_000) awsNames.set(field, name);
  }
  return name;
}

/** AWS field name → contract field name, per object schema (computed once per schema). */
const fieldMaps = new WeakMap<TSchema, ReadonlyMap<string, string>>();

function fieldMap(schema: TSchema): ReadonlyMap<string, string> {
  let map = fieldMaps.get(schema);
  if (!map) {
    const fields = Object.keys((schema.properties ?? {}) as Record<string, TSchema>).filter(
      (f) => !CUSTOS_ONLY_FIELDS.has(f),
    );
    map = new Map(fields.map((field) => [awsName(field), field]));
    fieldMaps.set(schema, map);
  }
  return map;
}

/**
 * An AWS request value → the contract's input, guided by `schema`: AWS field names become the contract's, base64
 * blobs become bytes, epoch-second timestamps become dates, and JSON null means absent (as AWS treats it). A field
 * the AWS shape does not have (a typo, a camelCase name, a Custos-only field) fails with VALIDATION_ERROR
 * (ValidationException); an AWS field of a feature Custos lacks fails with UNSUPPORTED. Values of the wrong type pass through for the service's schema check.
 *
 * @example
 * fromAws(OPERATIONS.encrypt.request, { KeyId: 'alias/a', Plaintext: 'aGk=' }); // { keyId: 'alias/a', plaintext: Uint8Array [104, 105] }
 */
export function fromAws(schema: TSchema, value: unknown, path = ''): unknown {
  switch (schema[Kind]) {
    case 'Object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      const names = fieldMap(schema);
      const props = schema.properties as Record<string, TSchema>;
      const out: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(value)) {
        const field = names.get(name);
        if (field === undefined) {
          if (UNSUPPORTED_AWS_FIELDS.has(name)) throw new UnsupportedError(`${path}${name} is not supported by Custos`);
          throw new ValidationError(`${path}${name}: unknown field`);
        }
        const schema = props[field];
        if (v !== null && schema) out[field] = fromAws(schema, v, `${path}${name}.`);
      }
      return out;
    }
    case 'Array':
      return Array.isArray(value)
        ? value.map((v, i) => fromAws(schema.items as TSchema, v, `${path.slice(0, -1)}[${i}].`))
        : value;
    case 'Record': {
      // Map keys (encryption context keys) are data, never renamed.
      const valueSchema = Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>)[0];
      if (!valueSchema || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromAws(valueSchema, v, `${path}${k}.`)]));
    }
    case 'Uint8Array': {
      if (typeof value !== 'string') return value;
      const bytes = decodeBase64(value);
      if (!bytes) throw new ValidationError(`${path.slice(0, -1) || 'value'}: not valid base64`);
      return bytes;
    }
    case 'Date':
      // AWS JSON 1.1 timestamps are seconds since the epoch, possibly fractional.
      return typeof value === 'number' && Number.isFinite(value) ? new Date(Math.round(value * 1000)) : value;
    case 'Union': {
      const objectVariant = (schema.anyOf as TSchema[]).find((v) => v[Kind] === 'Object');
      return objectVariant && value !== null && typeof value === 'object' && !Array.isArray(value)
        ? fromAws(objectVariant, value, path)
        : value;
    }
    default:
      return value;
  }
}

/**
 * A contract result → the AWS response value, guided by `schema`: field names become AWS's, bytes become base64,
 * dates become epoch seconds; Custos-only fields, fields the schema does not list and fields AWS sends only in another
 * state (AWS_FIELD_CONDITIONS) are left out.
 *
 * @example
 * toAws(OPERATIONS.encrypt.response, { keyId: arn, ciphertextBlob, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
 * // { KeyId: arn, CiphertextBlob: 'AQ…', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }
 */
export function toAws(schema: TSchema, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (schema[Kind]) {
    case 'Object': {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array || value instanceof Date)
        return toAwsScalar(value);
      const props = (schema.properties ?? {}) as Record<string, TSchema>;
      const out: Record<string, unknown> = {};
      const object = value as Readonly<Record<string, unknown>>;
      for (const [field, v] of Object.entries(object)) {
        if (v === undefined || CUSTOS_ONLY_FIELDS.has(field) || !props[field]) continue;
        if (AWS_FIELD_CONDITIONS[field]?.(object) === false) continue;
        out[awsName(field)] = toAws(props[field], v);
      }
      return out;
    }
    case 'Array':
      return Array.isArray(value) ? value.map((v) => toAws(schema.items as TSchema, v)) : value;
    case 'Record': {
      const valueSchema = Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>)[0];
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, valueSchema ? toAws(valueSchema, v) : toAwsScalar(v)]),
      );
    }
    case 'Union': {
      const objectVariant = (schema.anyOf as TSchema[]).find((v) => v[Kind] === 'Object');
      return objectVariant && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)
        ? toAws(objectVariant, value)
        : toAwsScalar(value);
    }
    default:
      return toAwsScalar(value);
  }
}

function toAwsScalar(value: unknown): unknown {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  return value;
}
