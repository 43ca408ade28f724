// Compiled key policies, so that the hot path pays a lookup, not a parse: by the key record (the key cache hands
// out the same object) and by the policy text. Bounded; a policy that no longer compiles (the account id changed)
// is refused, never ignored. Must not import api or store.
import type { KeyRecord } from '../../store/types.js';
import { compilePolicy, type CompiledPolicy } from './policy-document.js';

const MAX_TEXTS = 1000;
const byRecord = new WeakMap<KeyRecord, CompiledPolicy>();
const byText = new Map<string, Map<string, CompiledPolicy>>(); // account id → policy text → compiled

/**
 * The compiled policy of `key` (which has one) for account `accountId`; MALFORMED_POLICY_DOCUMENT when its stored
 * text does not compile.
 */
export function compiledPolicyOf(key: KeyRecord & { readonly policy: string }, accountId: string): CompiledPolicy {
  const hit = byRecord.get(key);
  if (hit) return hit;
  let texts = byText.get(accountId);
  if (!texts) byText.set(accountId, (texts = new Map<string, CompiledPolicy>()));
  let compiled = texts.get(key.policy);
  if (!compiled) {
    compiled = compilePolicy(key.policy, accountId);
    if (texts.size >= MAX_TEXTS) texts.clear();
    texts.set(key.policy, compiled);
  }
  byRecord.set(key, compiled);
  return compiled;
}
