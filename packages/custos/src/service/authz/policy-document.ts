// A key policy document (AWS IAM JSON policy grammar, restricted to what a KMS key policy holds), parsed and
// validated once into a compiled form the evaluator runs. Anything unknown is MALFORMED_POLICY_DOCUMENT, never
// ignored. Must not import api or store.
import { compileCondition, type Condition } from './conditions.js';
import { RESOURCE_ALIASES } from './condition-keys.js';
import { KMS_ACTIONS } from './kms-actions.js';
import { malformed } from './malformed.js';
import { matchPrincipal } from './principals.js';

/** One statement, compiled. `principals` are the entries of `Principal.AWS` (or `*`). */
interface CompiledStatement {
  readonly sid: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  readonly principals: readonly string[];
  /** Whether the statement applies to the lower-cased `kms:` action (Action, or NotAction inverted). */
  readonly appliesTo: (action: string) => boolean;
  /** Whether the statement's Resource covers the key's ARN. */
  readonly covers: (keyArn: string) => boolean;
  readonly condition: Condition | undefined;
}

export interface CompiledPolicy {
  readonly statements: readonly CompiledStatement[];
  /** Whether a condition reads `kms:ResourceAliases` (the key's aliases are then loaded for each call). */
  readonly readsResourceAliases: boolean;
}

const TOP = new Set(['Version', 'Id', 'Statement']);
const STATEMENT = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const MAX_POLICY_LENGTH = 32768;

function strings(raw: unknown, where: string): readonly string[] {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length === 0 || !list.every((v): v is string => typeof v === 'string' && v.length > 0))
    throw malformed(`${where} must be a non-empty string or a non-empty array of strings`);
  return list;
}

/** `*` and `?` wildcards, case-insensitive (actions) or not (resources). */
function pattern(value: string, flags: string): RegExp {
  const body = value.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${body}$`, flags);
}

function compileActions(raw: unknown, where: string): (action: string) => boolean {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const value of strings(raw, where)) {
    if (value === '*') {
      patterns.push(/^kms:/);
      continue;
    }
    if (!/^kms:[A-Za-z*?]+$/i.test(value)) throw malformed(`${where}: ${value} is not a kms: action`);
    if (/[*?]/.test(value)) {
      const re = pattern(value, 'i');
      if (!KMS_ACTIONS.some((action) => re.test(action))) throw malformed(`${where}: ${value} matches no kms: action`);
      patterns.push(re);
    } else {
      const lower = value.toLowerCase();
      if (!KMS_ACTIONS.includes(lower)) throw malformed(`${where}: unknown action ${value}`);
      exact.add(lower);
    }
  }
  return (action) => exact.has(action) || patterns.some((re) => re.test(action));
}

function compileResource(raw: unknown, where: string): (keyArn: string) => boolean {
  const patterns = strings(raw, where).map((value) => {
    if (value !== '*' && !value.startsWith('arn:aws:kms:'))
      throw malformed(`${where}: ${value} is not * or a KMS key ARN`);
    return pattern(value, '');
  });
  return (keyArn) => patterns.some((re) => re.test(keyArn));
}

function compilePrincipal(raw: unknown, accountId: string, where: string): readonly string[] {
  if (raw === '*') return ['*'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw malformed(`${where}: Principal must be "*" or {"AWS": ...}`);
  const types = Object.keys(raw);
  if (types.length !== 1 || types[0] !== 'AWS')
    throw malformed(`${where}: only AWS principals are supported (Custos has no service or federated principals)`);
  const entries = strings((raw as { AWS: unknown }).AWS, `${where} Principal.AWS`);
  for (const entry of entries) {
    if (matchPrincipal(entry, accountId, '') !== 'none') continue;
    if (!new RegExp(`^arn:aws:iam::${accountId}:(user|role)/[\\x21-\\x7e]+$`).test(entry))
      throw malformed(`${where}: ${entry} is not *, the account ${accountId}, or a user/ or role/ ARN in it`);
  }
  return entries;
}

function compileStatement(raw: unknown, index: number, accountId: string): CompiledStatement {
  const where = `Statement[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw malformed(`${where} must be an object`);
  const s = raw as Record<string, unknown>;
  for (const field of Object.keys(s)) if (!STATEMENT.has(field)) throw malformed(`${where}: unknown element ${field}`);
  if (s.Sid !== undefined && typeof s.Sid !== 'string') throw malformed(`${where}: Sid must be a string`);
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed(`${where}: Effect must be Allow or Deny`);
  if (s.NotPrincipal !== undefined)
    throw malformed(`${where}: NotPrincipal is not supported; use a Deny with a condition on aws:PrincipalArn`);
  if (s.Principal === undefined) throw malformed(`${where}: a key policy statement needs a Principal`);
  if ((s.Action === undefined) === (s.NotAction === undefined))
    throw malformed(`${where}: give exactly one of Action and NotAction`);
  if (s.NotResource !== undefined) throw malformed(`${where}: NotResource is not supported in key policies`);
  if (s.Resource === undefined) throw malformed(`${where}: a statement needs a Resource ("*": this key)`);
  const actions = s.Action !== undefined ? compileActions(s.Action, `${where} Action`) : undefined;
  const notActions = s.NotAction !== undefined ? compileActions(s.NotAction, `${where} NotAction`) : undefined;
  return {
    sid: s.Sid,
    effect: s.Effect,
    principals: compilePrincipal(s.Principal, accountId, where),
    appliesTo: actions ?? ((action) => !(notActions as (a: string) => boolean)(action)),
    covers: compileResource(s.Resource, `${where} Resource`),
    condition: compileCondition(s.Condition),
  };
}

/**
 * Parses and validates `text` as a key policy of account `accountId`: MALFORMED_POLICY_DOCUMENT naming the first
 * fault otherwise.
 * @example const policy = compilePolicy('{"Version":"2012-10-17","Statement":[...]}', '000000000000');
 */
export function compilePolicy(text: string, accountId: string): CompiledPolicy {
  if (text.length > MAX_POLICY_LENGTH) throw malformed(`the key policy exceeds ${MAX_POLICY_LENGTH} characters`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('the key policy is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw malformed('the key policy must be a JSON object');
  const d = doc as Record<string, unknown>;
  for (const field of Object.keys(d)) if (!TOP.has(field)) throw malformed(`unknown policy element ${field}`);
  if (d.Version !== '2012-10-17') throw malformed('Version must be "2012-10-17"');
  if (d.Id !== undefined && typeof d.Id !== 'string') throw malformed('Id must be a string');
  const raw = Array.isArray(d.Statement) ? (d.Statement as unknown[]) : d.Statement === undefined ? [] : [d.Statement];
  if (raw.length === 0) throw malformed('the key policy has no Statement');
  const sids = new Set<string>();
  const statements = raw.map((s, i) => {
    const compiled = compileStatement(s, i, accountId);
    if (compiled.sid !== undefined && compiled.sid !== '') {
      if (sids.has(compiled.sid)) throw malformed(`duplicate Sid ${compiled.sid}`);
      sids.add(compiled.sid);
    }
    return compiled;
  });
  return { statements, readsResourceAliases: text.toLowerCase().includes(RESOURCE_ALIASES) };
}
