// A grant's encryption context constraints against a request (AWS GrantConstraints): EncryptionContextEquals wants
// exactly its pairs, EncryptionContextSubset at least its pairs. As AWS: keys compare without case, values with.
// Applied only to operations that take an encryption context. Must not import api or store.
import type { GrantOperation } from '@custos/contract';
import type { GrantConstraintsRecord } from '../../store/types.js';

/** The grant operations whose requests carry an encryption context: constraints apply to these only. */
const CONTEXT_OPERATIONS: ReadonlySet<GrantOperation> = new Set<GrantOperation>([
  'Encrypt',
  'Decrypt',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
]);

type Context = Readonly<Record<string, string>>;

/** The context with lower-cased keys (AWS: a constraint's keys are not case sensitive). */
function folded(context: Context): Map<string, string> {
  return new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
}

function includes(request: Map<string, string>, wanted: Context): boolean {
  return Object.entries(wanted).every(([k, v]) => request.get(k.toLowerCase()) === v);
}

/**
 * Whether `constraints` allow `operation` with the request's encryption context (absent: empty). Operations that
 * take none (DescribeKey, RetireGrant, CreateGrant) are not constrained.
 * @example constraintsAllow({ encryptionContextSubset: { dept: 'a' } }, 'Decrypt', { Dept: 'a', x: '1' }); // true
 */
export function constraintsAllow(
  constraints: GrantConstraintsRecord | null,
  operation: GrantOperation,
  context: Context | undefined,
): boolean {
  if (constraints === null || !CONTEXT_OPERATIONS.has(operation)) return true;
  const request = folded(context ?? {});
  const { encryptionContextEquals: equals, encryptionContextSubset: subset } = constraints;
  if (equals && !(folded(equals).size === request.size && includes(request, equals))) return false;
  if (subset && !includes(request, subset)) return false;
  return true;
}
