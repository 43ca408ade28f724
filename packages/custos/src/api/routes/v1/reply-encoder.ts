// replyEncoder: a /v1 result → its JSON wire form through the operation's response schema, compiled once per route.
// A field no schema names never leaves the server (as the AWS path's toAws). Must not import service, store or core.
import { Kind, type TSchema } from '@sinclair/typebox';
import { toWire } from '@custos/contract';

/** One compiled step: an in-process value → its wire value. */
type Encode = (value: unknown) => unknown;

/** The named fields of an object schema, each with its own encoder (unions and intersections merge theirs). */
type Fields = readonly (readonly [string, Encode])[];

/**
 * Compiles `schema` into a function that keeps only the fields the schema names, recursively, and turns bytes into
 * base64 and dates into ISO 8601 strings (`toWire`). Values the schema does not describe as objects or arrays
 * pass through `toWire` unchanged: shapes are the service's to guarantee, names are this filter's.
 *
 * @example
 * const encode = replyEncoder(OPERATIONS.encrypt.response);
 * encode({ keyId, ciphertextBlob, encryptionAlgorithm: 'SYMMETRIC_DEFAULT', debug: 'x' }); // no `debug`
 */
export function replyEncoder(schema: TSchema): Encode {
  const fields = objectFields(schema);
  if (fields) return objectEncoder(fields);
  if (schema[Kind] === 'Array') {
    const item = replyEncoder(schema.items as TSchema);
    return (value) => (Array.isArray(value) ? value.map(item) : toWire(value));
  }
  if (schema[Kind] === 'Record') {
    const [valueSchema] = Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>);
    const entry = valueSchema ? replyEncoder(valueSchema) : toWire;
    return (value) => (isPlainObject(value) ? mapValues(value, entry) : toWire(value));
  }
  return toWire;
}

/** The fields of an object schema, or of the object variants of a union or intersection; undefined for others. */
function objectFields(schema: TSchema): Fields | undefined {
  if (schema[Kind] === 'Object') {
    const props = (schema.properties ?? {}) as Record<string, TSchema>;
    return Object.entries(props).map(([name, field]) => [name, replyEncoder(field)] as const);
  }
  const variants = (schema[Kind] === 'Union' ? schema.anyOf : schema[Kind] === 'Intersect' ? schema.allOf : []) as
    TSchema[] | undefined;
  const merged = new Map<string, Encode>();
  for (const variant of variants ?? []) {
    for (const [name, encode] of objectFields(variant) ?? []) if (!merged.has(name)) merged.set(name, encode);
  }
  return merged.size > 0 ? [...merged] : undefined;
}

function objectEncoder(fields: Fields): Encode {
  return (value) => {
    if (!isPlainObject(value)) return toWire(value);
    const out: Record<string, unknown> = {};
    for (const [name, encode] of fields) {
      const field = value[name];
      if (field !== undefined) out[name] = encode(field);
    }
    return out;
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date)
  );
}

function mapValues(value: Record<string, unknown>, encode: Encode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (value[key] !== undefined) out[key] = encode(value[key]);
  return out;
}
