// Reading the fields of a MOSIP `request` object: required and optional strings, booleans, base64 data. MOSIP's
// messages ("<field> should not be null or empty"). Must not be imported by service, store, keystore or core.
import { decodeMosipBase64 } from '../../core/mosip/mosip-base64.js';
import { invalidField, missingField, MosipError } from './mosip-errors.js';

/** A request object's fields, read with MOSIP's validation. */
export class Fields {
  constructor(private readonly fields: Record<string, unknown>) {}

  /** A non-blank string (`@NotBlank`). */
  required(name: string): string {
    const value = this.fields[name];
    if (typeof value !== 'string' || value.trim() === '') throw missingField(name);
    return value;
  }

  /** A string, or undefined when absent or null; "" stays "". */
  optional(name: string): string | undefined {
    const value = this.fields[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalidField(name, 'should be a string');
    return value;
  }

  /** A string, or undefined when absent, null or blank. */
  nonEmpty(name: string): string | undefined {
    const value = this.optional(name);
    return value === undefined || value.trim() === '' ? undefined : value;
  }

  /** A boolean, or undefined. */
  flag(name: string): boolean | undefined {
    const value = this.fields[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw invalidField(name, 'should be true or false');
    return value;
  }

  /** Base64 or base64url bytes; `invalidCode` for text that is neither (KER-CRY-003 for ciphertexts). */
  bytes(name: string, required: true, invalidCode?: string): Uint8Array;
  bytes(name: string, required: false, invalidCode?: string): Uint8Array | undefined;
  bytes(name: string, required: boolean, invalidCode = 'KER-KMS-005'): Uint8Array | undefined {
    const text = required ? this.required(name) : this.optional(name);
    if (text === undefined || text === '') return undefined;
    const bytes = decodeMosipBase64(text);
    if (bytes === null) throw new MosipError(invalidCode, `${name} should be base64 or base64url`);
    return bytes;
  }
}
