// Per-key PINs (SKS PIN policies, HUKS user authentication): the PIN policy a key is created with, the PIN and the
// PUK. Must not import anything but TypeBox and the contract's names.

import { type Static, Type } from '@sinclair/typebox';
import { literalUnion } from './common.js';

/** The formats a PIN may have (SKS `format`, without `binary`): digits; letters and digits; printable ASCII. */
export const PIN_FORMATS = ['numeric', 'alphanumeric', 'string'] as const;
export type PinFormat = (typeof PIN_FORMATS)[number];

/**
 * SKS's pattern restrictions: `two-in-a-row` (no "11"), `three-in-a-row` (no "111"), `sequence` (not a run such as
 * "1234" or "dcba"), `repeated` (no character twice), `missing-group` (alphanumeric: a letter and a digit; string:
 * an upper-case letter, a lower-case letter, a digit and another character). docs/authorization.md, "Key PINs".
 */
export const PIN_PATTERN_RESTRICTIONS = [
  'two-in-a-row',
  'three-in-a-row',
  'sequence',
  'repeated',
  'missing-group',
] as const;
export type PinPatternRestriction = (typeof PIN_PATTERN_RESTRICTIONS)[number];

/** The longest PIN any policy admits. */
export const MAX_PIN_LENGTH = 64;

/** A key's PIN policy: checked when the PIN is set; `retryLimit` wrong PINs in a row block the key. */
export const PinPolicy = Type.Object(
  {
    minLength: Type.Integer({ minimum: 1, maximum: MAX_PIN_LENGTH }),
    maxLength: Type.Integer({ minimum: 1, maximum: MAX_PIN_LENGTH }),
    format: literalUnion(PIN_FORMATS),
    retryLimit: Type.Integer({ minimum: 1, maximum: 100 }),
    patternRestrictions: Type.Optional(Type.Array(literalUnion(PIN_PATTERN_RESTRICTIONS), { uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type PinPolicy = Static<typeof PinPolicy>;

/** A PIN as sent (its policy decides what else it must be). Never logged, never in an error or audit record. */
export const Pin = Type.String({ minLength: 1, maxLength: MAX_PIN_LENGTH });

/** The PUK CreateKey returns once: 20 decimal digits. */
export const Puk = Type.String({ pattern: '^[0-9]{20}$' });

/**
 * The header that carries a key's PIN on both protocols (on the AWS one it must be signed). On the native API the
 * body field `pin` does the same.
 */
export const KEY_PIN_HEADER = 'x-custos-key-pin';
