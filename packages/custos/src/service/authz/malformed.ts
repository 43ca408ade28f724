// The error of a key policy that is not a valid policy document (AWS MalformedPolicyDocumentException).
// Must not import api or store.
import { ValidationError } from '@custos/contract';

/** MALFORMED_POLICY_DOCUMENT with `message` (it names the element at fault, never the caller's data beyond it). */
export function malformed(message: string): ValidationError {
  return new ValidationError(message, 'MALFORMED_POLICY_DOCUMENT');
}
