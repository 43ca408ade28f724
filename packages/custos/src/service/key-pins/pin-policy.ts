// PIN policies (SKS createPINPolicy): what a policy may say, and whether a PIN satisfies it. Pure: no store, no
// clock. Must not import store, keystore or api.
import { ValidationError, type PinPolicy } from '@custos/contract';

/** Characters each format admits: digits; ASCII letters and digits; printable ASCII without space (a header value). */
const FORMAT_PATTERN: Readonly<Record<PinPolicy['format'], RegExp>> = {
  numeric: /^[0-9]+$/,
  alphanumeric: /^[A-Za-z0-9]+$/,
  string: /^[\x21-\x7e]+$/,
};

/** The character groups `missing-group` asks for, per format (numeric has only one: the restriction is refused). */
const GROUPS: Readonly<Record<PinPolicy['format'], readonly RegExp[]>> = {
  numeric: [],
  alphanumeric: [/[A-Za-z]/, /[0-9]/],
  string: [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/],
};

/** Throws VALIDATION_ERROR when the policy contradicts itself (lengths, or a restriction its format cannot meet). */
export function checkPinPolicy(policy: PinPolicy): void {
  if (policy.minLength > policy.maxLength) {
    throw new ValidationError('pinPolicy.minLength is greater than pinPolicy.maxLength');
  }
  const restrictions = policy.patternRestrictions ?? [];
  if (restrictions.includes('missing-group') && GROUPS[policy.format].length === 0) {
    throw new ValidationError(`pinPolicy: missing-group needs an alphanumeric or string format, not ${policy.format}`);
  }
  if (restrictions.includes('missing-group') && policy.maxLength < GROUPS[policy.format].length) {
    throw new ValidationError('pinPolicy: missing-group needs a maxLength of at least one character per group');
  }
}

/**
 * Throws KEY_PIN_POLICY_VIOLATION when `pin` does not satisfy `policy`. The message names the rule broken, never
 * the PIN.
 */
export function checkPin(policy: PinPolicy, pin: string): void {
  const violation = pinViolation(policy, pin);
  if (violation !== undefined) throw new ValidationError(`the PIN ${violation}`, 'KEY_PIN_POLICY_VIOLATION');
}

function pinViolation(policy: PinPolicy, pin: string): string | undefined {
  if (pin.length < policy.minLength || pin.length > policy.maxLength) {
    return `must have ${policy.minLength} to ${policy.maxLength} characters`;
  }
  if (!FORMAT_PATTERN[policy.format].test(pin)) return `does not have the ${policy.format} format`;
  for (const restriction of policy.patternRestrictions ?? []) {
    if (RESTRICTIONS[restriction](pin, policy)) return `breaks the ${restriction} restriction`;
  }
  return undefined;
}

/** Each restriction as a test that is true when the PIN breaks it (SKS's patternRestrictions). */
const RESTRICTIONS: Readonly<
  Record<NonNullable<PinPolicy['patternRestrictions']>[number], (pin: string, policy: PinPolicy) => boolean>
> = {
  'two-in-a-row': (pin) => /(.)\1/.test(pin),
  'three-in-a-row': (pin) => /(.)\1\1/.test(pin),
  sequence: (pin) => pin.length > 1 && (isRun(pin, 1) || isRun(pin, -1)),
  repeated: (pin) => new Set(pin).size !== pin.length,
  'missing-group': (pin, policy) => GROUPS[policy.format].some((group) => !group.test(pin)),
};

/** Whether every character is the one before plus `step` ("1234", "dcba"). */
function isRun(pin: string, step: 1 | -1): boolean {
  for (let i = 1; i < pin.length; i++) {
    if (pin.charCodeAt(i) !== pin.charCodeAt(i - 1) + step) return false;
  }
  return true;
}
