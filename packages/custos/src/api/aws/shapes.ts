// AWS JSON 1.1 shapes ⇄ the contract's values, driven by the contract's schemas: PascalCase ⇄ camelCase field
// names, base64 ⇄ Uint8Array, epoch seconds ⇄ Date; compiled once per schema into closures (requestDecoder,
// responseEncoder), so that a request neither walks a schema nor builds a path string it does not need.
// Must not import service, store, keystore or core.
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

/**
 * One compiled step of a request: an AWS value → the contract's; `at` is the value's path (`Tags[0].TagKey`), read
 * only to word an error. `undefined` stands for "the value as it is" (strings, numbers: no call at all).
 */
type Decode = ((value: unknown, at: string) => unknown) | undefined;
/** One compiled step of a response: a contract value → the AWS value. */
type Encode = (value: unknown) => unknown;

/** Compiled once per schema (the contract's schemas are fixed trees), so that no request walks a schema. */
const decoders = new WeakMap<TSchema, { readonly decode: Decode }>();
const encoders = new WeakMap<TSchema, Encode>();

/**
 * An AWS request value → the contract's input, guided by `schema`: AWS field names become the contract's, base64
 * blobs become bytes, epoch-second timestamps become dates, and JSON null means absent (as AWS treats it). A field
 * the AWS shape does not have (a typo, a camelCase name, a Custos-only field) fails with VALIDATION_ERROR
 * (ValidationException); an AWS field of a feature Custos lacks fails with UNSUPPORTED. Values of the wrong type pass
 * through for the service's schema check. `requestDecoder(schema)` is the same, compiled once for a hot path.
 *
 * @example
 * fromAws(OPERATIONS.encrypt.request, { KeyId: 'alias/a', Plaintext: 'aGk=' }); // { keyId: 'alias/a', plaintext: Uint8Array [104, 105] }
 */
export function fromAws(schema: TSchema, value: unknown): unknown {
  return requestDecoder(schema)(value);
}

/** `fromAws` for one schema, compiled: field tables and per-field steps built once, none per request. */
export function requestDecoder(schema: TSchema): (value: unknown) => unknown {
  const decode = decoderOf(schema);
  return decode === undefined ? (value) => value : (value) => decode(value, '');
}

function decoderOf(schema: TSchema): Decode {
  let compiled = decoders.get(schema);
  if (!compiled) decoders.set(schema, (compiled = { decode: compileDecoder(schema) }));
  return compiled.decode;
}

function compileDecoder(schema: TSchema): Decode {
  switch (schema[Kind]) {
    case 'Object':
      return objectDecoder(schema);
    case 'Array': {
      const item = decoderOf(schema.items as TSchema);
      if (item === undefined) return undefined;
      return (value, at) => (Array.isArray(value) ? value.map((v, i) => item(v, `${at}[${i}]`)) : value);
    }
    case 'Record': {
      // Map keys (encryption context keys) are data, never renamed.
      const valueSchema = Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>)[0];
      const entry = valueSchema ? decoderOf(valueSchema) : undefined;
      if (entry === undefined) return undefined;
      return (value, at) => {
        if (!isJsonObject(value)) return value;
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value)) out[k] = entry(value[k], at === '' ? k : `${at}.${k}`);
        return out;
      };
    }
    case 'Uint8Array':
      return decodeBlob;
    case 'Date':
      // AWS JSON 1.1 timestamps are seconds since the epoch, possibly fractional.
      return (value) =>
        typeof value === 'number' && Number.isFinite(value) ? new Date(Math.round(value * 1000)) : value;
    case 'Union': {
      const objectVariant = (schema.anyOf as TSchema[]).find((v) => v[Kind] === 'Object');
      const decode = objectVariant ? decoderOf(objectVariant) : undefined;
      if (decode === undefined) return undefined;
      return (value, at) => (isJsonObject(value) ? decode(value, at) : value);
    }
    default:
      return undefined;
  }
}

/** An object schema's decoder: one table from AWS name to contract name and step, made once. */
function objectDecoder(schema: TSchema): Decode {
  const props = (schema.properties ?? {}) as Record<string, TSchema>;
  const fields = new Map<string, { readonly field: string; readonly decode: Decode }>();
  for (const field of Object.keys(props)) {
    const fieldSchema = props[field];
    if (!CUSTOS_ONLY_FIELDS.has(field) && fieldSchema)
      fields.set(awsName(field), { field, decode: decoderOf(fieldSchema) });
  }
  return (value, at) => {
    if (!isJsonObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(value)) {
      const entry = fields.get(name);
      if (entry === undefined) {
        const where = at === '' ? name : `${at}.${name}`;
        if (UNSUPPORTED_AWS_FIELDS.has(name)) throw new UnsupportedError(`${where} is not supported by Custos`);
        throw new ValidationError(`${where}: unknown field`);
      }
      const v = value[name];
      if (v === null) continue;
      const decode = entry.decode;
      out[entry.field] = decode === undefined ? v : decode(v, at === '' ? name : `${at}.${name}`);
    }
    return out;
  };
}

function decodeBlob(value: unknown, at: string): unknown {
  if (typeof value !== 'string') return value;
  const bytes = decodeBase64(value);
  if (!bytes) throw new ValidationError(`${at || 'value'}: not valid base64`);
  return bytes;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A contract result → the AWS response value, guided by `schema`: field names become AWS's, bytes become base64,
 * dates become epoch seconds; Custos-only fields, fields the schema does not list and fields AWS sends only in another
 * state (AWS_FIELD_CONDITIONS) are left out. `responseEncoder(schema)` is the same, compiled once for a hot path.
 *
 * @example
 * toAws(OPERATIONS.encrypt.response, { keyId: arn, ciphertextBlob, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
 * // { KeyId: arn, CiphertextBlob: 'AQ…', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }
 */
export function toAws(schema: TSchema, value: unknown): unknown {
  return responseEncoder(schema)(value);
}

/** `toAws` for one schema, compiled once. */
export function responseEncoder(schema: TSchema): Encode {
  let encode = encoders.get(schema);
  if (!encode) encoders.set(schema, (encode = compileEncoder(schema)));
  return encode;
}

function compileEncoder(schema: TSchema): Encode {
  switch (schema[Kind]) {
    case 'Object':
      return objectEncoder(schema);
    case 'Array': {
      const item = responseEncoder(schema.items as TSchema);
      return (value) => (Array.isArray(value) ? value.map((v) => item(v)) : value);
    }
    case 'Record': {
      const valueSchema = Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>)[0];
      const entry = valueSchema ? responseEncoder(valueSchema) : toAwsScalar;
      return (value) => {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
        const source = value as Readonly<Record<string, unknown>>;
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(source)) out[k] = entry(source[k]);
        return out;
      };
    }
    case 'Union': {
      const objectVariant = (schema.anyOf as TSchema[]).find((v) => v[Kind] === 'Object');
      if (!objectVariant) return toAwsScalar;
      const encode = responseEncoder(objectVariant);
      return (value) =>
        value !== null && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)
          ? encode(value)
          : toAwsScalar(value);
    }
    default:
      return toAwsScalar;
  }
}

interface Field {
  readonly name: string;
  readonly encode: Encode;
  readonly when: ((object: Readonly<Record<string, unknown>>) => boolean) | undefined;
}

/** An object schema's encoder: one table from contract name to AWS name, step and condition, made once. */
function objectEncoder(schema: TSchema): Encode {
  const props = (schema.properties ?? {}) as Record<string, TSchema>;
  const fields = new Map<string, Field>();
  for (const field of Object.keys(props)) {
    const fieldSchema = props[field];
    if (CUSTOS_ONLY_FIELDS.has(field) || !fieldSchema) continue;
    const when = Object.hasOwn(AWS_FIELD_CONDITIONS, field) ? AWS_FIELD_CONDITIONS[field] : undefined;
    fields.set(field, { name: awsName(field), encode: responseEncoder(fieldSchema), when });
  }
  return (value) => {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array || value instanceof Date)
      return toAwsScalar(value);
    const object = value as Readonly<Record<string, unknown>>;
    const out: Record<string, unknown> = {};
    for (const field of Object.keys(object)) {
      const v = object[field];
      const entry = v === undefined ? undefined : fields.get(field);
      if (entry === undefined || (entry.when !== undefined && !entry.when(object))) continue;
      out[entry.name] = v === null ? null : entry.encode(v);
    }
    return out;
  };
}

function toAwsScalar(value: unknown): unknown {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  return value;
}
