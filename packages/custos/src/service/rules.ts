// Input rules shared by several operations (tags, policies, constraints, unsupported AWS fields).
// Must not import api or store.
import { LimitExceededError, UnsupportedError, ValidationError, type Algorithm, type KeyUsage } from '@custos/contract';
import type { KeySpecEntry } from '../core/key-specs.js';
import { compilePolicy } from './authz/policy-document.js';
import { supportedAlgorithms } from './key-loading.js';

export const MAX_TAGS_PER_KEY = 50;

/** AWS TagResource rules: no `aws:` prefix, no duplicate keys in one request. */
export function checkTags(tags: readonly { tagKey: string; tagValue: string }[] | undefined): void {
  if (!tags) return;
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.tagKey.toLowerCase().startsWith('aws:'))
      throw new ValidationError('tag keys starting with aws: are reserved');
    if (seen.has(tag.tagKey)) throw new ValidationError(`duplicate tag key: ${tag.tagKey}`);
    seen.add(tag.tagKey);
  }
  if (tags.length > MAX_TAGS_PER_KEY) throw new LimitExceededError(`a key can have at most ${MAX_TAGS_PER_KEY} tags`);
}

/** A key policy must be a valid policy document for this account (MALFORMED_POLICY_DOCUMENT, authz/policy-document.ts). */
export function checkPolicy(policy: string | undefined, accountId: string): void {
  if (policy !== undefined) compilePolicy(policy, accountId);
}

export interface ConstraintsInput {
  readonly allowedAlgorithms?: readonly string[] | null;
  readonly notBefore?: Date | null;
  readonly notAfter?: Date | null;
  readonly maxUses?: number | null;
}

/** Usage constraints must name algorithms the key supports, a non-empty window and a positive use count. */
export function checkConstraints(
  spec: KeySpecEntry,
  usage: KeyUsage,
  input: ConstraintsInput,
  current?: { notBefore: Date | null; notAfter: Date | null },
): void {
  const supported = supportedAlgorithms(spec, usage);
  for (const alg of input.allowedAlgorithms ?? []) {
    if (!supported.some((known) => known === alg))
      throw new ValidationError(`${alg} is not an algorithm of a ${spec.name} ${usage} key`);
  }
  if (input.allowedAlgorithms?.length === 0) throw new ValidationError('allowedAlgorithms must not be empty');
  const notBefore = input.notBefore !== undefined ? input.notBefore : (current?.notBefore ?? null);
  const notAfter = input.notAfter !== undefined ? input.notAfter : (current?.notAfter ?? null);
  if (notBefore && notAfter && notBefore >= notAfter)
    throw new ValidationError('notBefore must be earlier than notAfter');
  if (
    input.maxUses !== undefined &&
    input.maxUses !== null &&
    (!Number.isSafeInteger(input.maxUses) || input.maxUses < 1)
  ) {
    throw new ValidationError('maxUses must be a positive integer');
  }
}

export function allowedAlgorithmsOf(input: ConstraintsInput): readonly Algorithm[] | null {
  return (input.allowedAlgorithms as readonly Algorithm[] | null | undefined) ?? null;
}

/** AWS fields Custos accepts in the schema but does not implement: refused clearly, never ignored. */
export function refuseUnsupported(input: object, fields: readonly string[]): void {
  for (const field of fields) {
    const value = (input as Record<string, unknown>)[field];
    if (value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0)) {
      throw new UnsupportedError(`${field} is not supported by Custos`);
    }
  }
}
