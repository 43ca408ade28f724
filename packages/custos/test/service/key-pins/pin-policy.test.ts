// PIN policies: what a policy may say, and which PINs it refuses (length, format, SKS's pattern restrictions).
import { describe, expect, it } from 'vitest';
import { KmsError, type PinPolicy } from '@custos/contract';
import { checkPin, checkPinPolicy } from '../../../src/service/key-pins/pin-policy.js';

const policy = (over: Partial<PinPolicy> = {}): PinPolicy => ({
  minLength: 4,
  maxLength: 8,
  format: 'numeric',
  retryLimit: 3,
  ...over,
});

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof KmsError) return error.code;
    throw error;
  }
}

describe('PIN policies', () => {
  it.each<[string, PinPolicy, string]>([
    ['minLength above maxLength', policy({ minLength: 9 }), 'VALIDATION_ERROR'],
    ['missing-group on a numeric PIN', policy({ patternRestrictions: ['missing-group'] }), 'VALIDATION_ERROR'],
    [
      'missing-group longer than maxLength allows',
      policy({ format: 'string', minLength: 1, maxLength: 3, patternRestrictions: ['missing-group'] }),
      'VALIDATION_ERROR',
    ],
  ])('refuses a policy with %s', (_name, p, code) => {
    expect(
      codeOf(() => {
        checkPinPolicy(p);
      }),
    ).toBe(code);
  });

  it('accepts a consistent policy', () => {
    expect(
      codeOf(() => {
        checkPinPolicy(policy({ patternRestrictions: ['sequence', 'repeated'] }));
      }),
    ).toBeUndefined();
  });

  it.each<[string, PinPolicy, string, boolean]>([
    ['a PIN of the right length and format', policy(), '2580', true],
    ['a PIN too short', policy(), '258', false],
    ['a PIN too long', policy(), '258025802', false],
    ['letters in a numeric PIN', policy(), '25a0', false],
    ['letters and digits in an alphanumeric PIN', policy({ format: 'alphanumeric' }), 'aB3d', true],
    ['punctuation in an alphanumeric PIN', policy({ format: 'alphanumeric' }), 'aB3!', false],
    ['punctuation in a string PIN', policy({ format: 'string' }), 'aB3!', true],
    ['a space in a string PIN (not a header value)', policy({ format: 'string' }), 'aB 3', false],
    ['non-ASCII in a string PIN', policy({ format: 'string' }), 'aBé3', false],
    ['two in a row under two-in-a-row', policy({ patternRestrictions: ['two-in-a-row'] }), '2553', false],
    ['no two in a row under two-in-a-row', policy({ patternRestrictions: ['two-in-a-row'] }), '2535', true],
    ['two in a row under three-in-a-row', policy({ patternRestrictions: ['three-in-a-row'] }), '2553', true],
    ['three in a row under three-in-a-row', policy({ patternRestrictions: ['three-in-a-row'] }), '2555', false],
    ['an ascending run under sequence', policy({ patternRestrictions: ['sequence'] }), '3456', false],
    ['a descending run under sequence', policy({ patternRestrictions: ['sequence'] }), '9876', false],
    ['no run under sequence', policy({ patternRestrictions: ['sequence'] }), '3457', true],
    [
      'a letter run under sequence',
      policy({ format: 'alphanumeric', patternRestrictions: ['sequence'] }),
      'abcd',
      false,
    ],
    ['a repeated digit under repeated', policy({ patternRestrictions: ['repeated'] }), '2582', false],
    ['no repeated digit under repeated', policy({ patternRestrictions: ['repeated'] }), '2581', true],
    [
      'letters only under alphanumeric missing-group',
      policy({ format: 'alphanumeric', patternRestrictions: ['missing-group'] }),
      'abcz',
      false,
    ],
    [
      'a letter and a digit under alphanumeric missing-group',
      policy({ format: 'alphanumeric', patternRestrictions: ['missing-group'] }),
      'abc1',
      true,
    ],
    [
      'no symbol under string missing-group',
      policy({ format: 'string', patternRestrictions: ['missing-group'] }),
      'aB3d',
      false,
    ],
    [
      'all four groups under string missing-group',
      policy({ format: 'string', patternRestrictions: ['missing-group'] }),
      'aB3#',
      true,
    ],
  ])('%s: accepted %s', (_name, p, pin, ok) => {
    expect(
      codeOf(() => {
        checkPin(p, pin);
      }),
    ).toBe(ok ? undefined : 'KEY_PIN_POLICY_VIOLATION');
  });

  it('never puts the PIN in the error message', () => {
    try {
      checkPin(policy({ patternRestrictions: ['repeated'] }), '7337');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('7337');
    }
  });
});
