// The condition keys a Custos key policy may use (AWS KMS and global condition keys that apply here), and whether
// each holds one value or a set. Must not import api or store.

/** Lower-cased names (condition keys are case-insensitive); `true` for the multivalued ones. */
const KEYS: Readonly<Record<string, boolean>> = {
  'kms:encryptioncontextkeys': true,
  'kms:encryptionalgorithm': false,
  'kms:signingalgorithm': false,
  'kms:macalgorithm': false,
  'kms:messagetype': false,
  'kms:requestalias': false,
  'kms:resourcealiases': true,
  'kms:keyspec': false,
  'kms:keyusage': false,
  'kms:keyorigin': false,
  'kms:calleraccount': false,
  'kms:grantoperations': true,
  'kms:grantisforawsresource': false,
  'kms:granteeprincipal': false,
  'kms:retiringprincipal': false,
  'kms:grantconstrainttype': false,
  'aws:principalarn': false,
  'aws:sourceip': false,
  'aws:currenttime': false,
  'aws:epochtime': false,
};

/** Keys with a name part: `kms:EncryptionContext:<context key>`, `aws:PrincipalTag/<tag key>`. */
const PREFIXES = ['kms:encryptioncontext:', 'aws:principaltag/'];

/** The key's lower-case name, or undefined when Custos does not know it (the policy is then malformed). */
export function conditionKey(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (Object.hasOwn(KEYS, lower)) return lower;
  return PREFIXES.some((prefix) => lower.startsWith(prefix) && lower.length > prefix.length) ? lower : undefined;
}

/** Whether the key holds a set of values (ForAnyValue/ForAllValues apply to these). */
export function isMultivalued(lowerName: string): boolean {
  return KEYS[lowerName] === true;
}

/** Whether the key reads the key's aliases (loaded from the store only for policies that do). */
export const RESOURCE_ALIASES = 'kms:resourcealiases';
