// The JSON wire form of the Kms interface, derived from the operation schemas: bytes travel as base64, dates as
// ISO 8601 strings. Used by the REST server and RemoteKms alike. Must not import anything but TypeBox.
import { Kind, type TSchema } from '@sinclair/typebox';
import { ValidationError } from './errors.js';

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Character code → its 6-bit value (for the canonical-padding check). */
const BASE64_VALUE = new Uint8Array(128);
for (let i = 0; i < BASE64_ALPHABET.length; i++) BASE64_VALUE[BASE64_ALPHABET.charCodeAt(i)] = i;

/**
 * Strict base64 (RFC 4648 §4, padded, canonical) → bytes, or undefined. Buffer.from alone skips
 * characters outside the alphabet (the decoded length then falls short of what the text's length promises), takes
 * the URL-safe letters - and _, and ignores the bits the padding leaves over (which must be zero). No regex: this
 * runs on every request body.
 * @example decodeBase64('AAH/'); // Uint8Array [0, 1, 255]
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const n = text.length;
  if (n % 4 !== 0) return undefined;
  const pad = n === 0 || text.charCodeAt(n - 1) !== 61 ? 0 : text.charCodeAt(n - 2) === 61 ? 2 : 1; // '='
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== (n / 4) * 3 - pad || text.includes('-') || text.includes('_')) return undefined;
  if (pad > 0 && ((BASE64_VALUE[text.charCodeAt(n - pad - 1)] ?? 0) & (pad === 1 ? 0b11 : 0b1111)) !== 0)
    return undefined;
  // A plain Uint8Array view of the decoded bytes, no copy: a 1 KiB copy costs more than the decoding (allocating an
  // ArrayBuffer of its own is what Node's pool avoids). Small inputs share a pool slab, as Buffers do.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** In-process value → JSON value: Uint8Array → base64, Date → ISO string, recursively. */
export function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(source)) if (source[k] !== undefined) out[k] = toWire(source[k]);
    return out;
  }
  return value;
}

/**
 * JSON value → in-process value, guided by `schema`: base64 strings where the schema has bytes become
 * Uint8Array (strict base64, else ValidationError), ISO strings where it has dates become Date. With
 * `fromQuery`, string values are also coerced to the numbers and booleans the schema asks for.
 * Values that do not fit are passed through unchanged, for the schema check to reject.
 * Bytes are views of Node's buffer pool unless `ownBytes` (decodeBase64): right for a request a server reads and
 * drops, wrong for results handed to a caller, who may read or wipe `.buffer` (the SDK sets it); with `ownBytes`
 * the pooled copy is zeroed.
 */
export function fromWire(schema: TSchema, value: unknown, options: WireOptions = {}): unknown {
  return convert(schema, value, '', options);
}

export interface WireOptions {
  /** Query-string values: strings become the numbers and booleans the schema asks for. */
  readonly fromQuery?: boolean;
  /** Every Uint8Array over a buffer of its own (a copy out of Node's pool). */
  readonly ownBytes?: boolean;
}

function convert(schema: TSchema, value: unknown, path: string, options: WireOptions): unknown {
  const fromQuery = options.fromQuery === true;
  switch (schema[Kind]) {
    case 'Uint8Array': {
      if (typeof value !== 'string') return value;
      const bytes = decodeBase64(value);
      if (!bytes) throw new ValidationError(`${path || 'value'}: not valid base64`);
      if (!options.ownBytes) return bytes;
      // Copied out of the pool, and the pooled bytes cleared: they may be plaintext or key material.
      const own = new Uint8Array(bytes);
      bytes.fill(0);
      return own;
    }
    case 'Date': {
      if (typeof value !== 'string' && typeof value !== 'number') return value;
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) throw new ValidationError(`${path || 'value'}: not a valid date`);
      return date;
    }
    case 'Integer':
    case 'Number':
      return fromQuery && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
        ? Number(value)
        : value;
    case 'Boolean':
      return fromQuery && (value === 'true' || value === 'false') ? value === 'true' : value;
    case 'Array':
      return Array.isArray(value)
        ? value.map((v, i) => convert(schema.items as TSchema, v, `${path}/${i}`, options))
        : value;
    case 'Object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      const props = (schema.properties ?? {}) as Record<string, TSchema>;
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(source)) {
        const prop = Object.hasOwn(props, k) ? props[k] : undefined;
        out[k] = prop ? convert(prop, source[k], `${path}/${k}`, options) : source[k];
      }
      return out;
    }
    case 'Record': {
      if (value === null || typeof value !== 'object') return value;
      const valueSchema = Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>)[0];
      if (!valueSchema) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = convert(valueSchema, v, `${path}/${k}`, options);
      return out;
    }
    case 'Union':
      return convertUnion(schema.anyOf as TSchema[], value, path, options);
    default:
      return value;
  }
}

/** A union: null stays null; otherwise the first variant that converts the value without error. */
function convertUnion(variants: TSchema[], value: unknown, path: string, options: WireOptions): unknown {
  if (value === null) return value;
  const errors: unknown[] = [];
  for (const variant of variants) {
    if (variant[Kind] === 'Null') continue;
    if (variant[Kind] === 'Object' && typeof value !== 'object') continue;
    try {
      return convert(variant, value, path, options);
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
  return value;
}

/**
 * The JSON Schema of the wire form (for OpenAPI and HTTP validation): bytes → base64 string, dates →
 * date-time string; everything else as it is.
 */
export function wireSchema(schema: TSchema): Record<string, unknown> {
  const kind = schema[Kind];
  const { [Kind]: _kind, ...rest } = schema as unknown as Record<string | symbol, unknown>;
  if (kind === 'Uint8Array') {
    const { minByteLength, maxByteLength, ...others } = rest as Record<string, unknown>;
    return {
      ...pickDocs(others),
      type: 'string',
      contentEncoding: 'base64',
      ...(typeof minByteLength === 'number' ? { minLength: Math.ceil(minByteLength / 3) * 4 } : {}),
      ...(typeof maxByteLength === 'number' ? { maxLength: Math.ceil(maxByteLength / 3) * 4 } : {}),
    };
  }
  if (kind === 'Date') return { ...pickDocs(rest), type: 'string', format: 'date-time' };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, TSchema>).map(([k, v]) => [k, wireSchema(v)]),
      );
    } else if (key === 'items' && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = wireSchema(value as TSchema);
    } else if ((key === 'anyOf' || key === 'allOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = (value as TSchema[]).map(wireSchema);
    } else out[key] = value;
  }
  return out;
}

function pickDocs(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['description', 'title', 'examples']) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
