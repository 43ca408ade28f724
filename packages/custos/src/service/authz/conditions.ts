// Condition operators of AWS policies (IAM "Condition element"), compiled once per policy into predicates over a
// call's facts. Unknown operators, keys or malformed values are MALFORMED_POLICY_DOCUMENT. Must not import api or store.
import { BlockList, isIP } from 'node:net';
import { conditionKey, isMultivalued } from './condition-keys.js';
import { malformed } from './malformed.js';
import type { FactValue, RequestFacts } from './request-facts.js';

/** A compiled Condition element: true when every operator's every key holds for the call. */
export type Condition = (facts: RequestFacts) => boolean;

/** One value test: does the request's `value` match the condition's values (any of them)? */
type Matcher = (value: string) => boolean;
/** Builds the matcher of an operator from the condition's values, refusing values it cannot use. */
type MatcherFactory = (values: readonly string[]) => Matcher;

/** `*` any run of characters, `?` one character, the rest literal (StringLike, ArnLike). */
function wildcard(pattern: string, flags = ''): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${body}$`, `s${flags}`);
}

function number(text: string): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw malformed(`not a number in a Numeric condition: ${text}`);
  return value;
}

/** ISO 8601 or epoch seconds, as AWS accepts them. */
function date(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
  if (!Number.isFinite(value)) throw malformed(`not a date in a Date condition: ${text}`);
  return value;
}

const tryParse = (parse: (text: string) => number, text: string): number | undefined => {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
};

function compare(parse: (t: string) => number, test: (a: number, b: number) => boolean): MatcherFactory {
  return (values) => {
    const bounds = values.map(parse);
    return (value) => {
      const v = tryParse(parse, value);
      return v !== undefined && bounds.some((b) => test(v, b));
    };
  };
}

function cidrs(values: readonly string[]): Matcher {
  const list = new BlockList();
  for (const value of values) {
    const [address = '', bits, extra] = value.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (
      family === 0 ||
      extra !== undefined ||
      !Number.isInteger(prefix) ||
      prefix < 0 ||
      prefix > (family === 6 ? 128 : 32)
    )
      throw malformed(`not an IP address or CIDR block: ${value}`);
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return (value) => {
    const address = value.startsWith('::ffff:') && isIP(value.slice(7)) === 4 ? value.slice(7) : value;
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}

const bool: MatcherFactory = (values) => {
  for (const v of values)
    if (v !== 'true' && v !== 'false') throw malformed(`not true or false in a Bool condition: ${v}`);
  return (value) => values.includes(value.toLowerCase());
};

const POSITIVE: Readonly<Record<string, MatcherFactory>> = {
  StringEquals: (values) => (value) => values.includes(value),
  StringEqualsIgnoreCase: (values) => {
    const lower = values.map((v) => v.toLowerCase());
    return (value) => lower.includes(value.toLowerCase());
  },
  StringLike: (values) => {
    const patterns = values.map((v) => wildcard(v));
    return (value) => patterns.some((p) => p.test(value));
  },
  ArnEquals: (values) => (value) => values.includes(value),
  ArnLike: (values) => {
    const patterns = values.map((v) => wildcard(v));
    return (value) => patterns.some((p) => p.test(value));
  },
  NumericEquals: compare(number, (a, b) => a === b),
  NumericLessThan: compare(number, (a, b) => a < b),
  NumericLessThanEquals: compare(number, (a, b) => a <= b),
  NumericGreaterThan: compare(number, (a, b) => a > b),
  NumericGreaterThanEquals: compare(number, (a, b) => a >= b),
  DateEquals: compare(date, (a, b) => a === b),
  DateLessThan: compare(date, (a, b) => a < b),
  DateLessThanEquals: compare(date, (a, b) => a <= b),
  DateGreaterThan: compare(date, (a, b) => a > b),
  DateGreaterThanEquals: compare(date, (a, b) => a >= b),
  Bool: bool,
  IpAddress: cidrs,
};

/** Negated operators: the positive one's matcher, inverted (and true when the key is absent, as AWS evaluates them). */
const NEGATED: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
};

/** The condition's values as strings (AWS accepts a scalar or an array of strings, numbers and booleans). */
function valuesOf(raw: unknown, where: string): readonly string[] {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length === 0) throw malformed(`${where} has no value`);
  return list.map((v) => {
    if (typeof v === 'string') {
      if (v.includes('${')) throw malformed(`${where}: policy variables (\${...}) are not supported`);
      return v;
    }
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw malformed(`${where} must be a string, number or boolean, or an array of them`);
  });
}

/** The request's values of a key: [] when absent. */
const asList = (value: FactValue): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** Compiles one operator entry (`"ForAnyValue:StringLike": { key: values }`) into predicates, one per key. */
function compileOperator(operator: string, block: unknown): Condition[] {
  if (typeof block !== 'object' || block === null || Array.isArray(block))
    throw malformed(`the ${operator} condition must map condition keys to values`);
  const qualifier = /^(ForAnyValue|ForAllValues):/.exec(operator)?.[1];
  let name = qualifier ? operator.slice(qualifier.length + 1) : operator;
  const ifExists = name.endsWith('IfExists') && name !== 'IfExists';
  if (ifExists) name = name.slice(0, -'IfExists'.length);
  const entries = Object.entries(block as Record<string, unknown>);
  if (entries.length === 0) throw malformed(`the ${operator} condition names no condition key`);
  return entries.map(([rawKey, raw]) => {
    const key = conditionKey(rawKey);
    if (key === undefined) throw malformed(`unknown condition key: ${rawKey}`);
    const values = valuesOf(raw, `${operator} ${rawKey}`);
    if (name === 'Null') {
      if (qualifier || ifExists) throw malformed(`${operator} is not a condition operator`);
      const wanted = bool(values);
      return (facts) => wanted(String(asList(facts.get(key)).length === 0));
    }
    const negatedOf = NEGATED[name];
    const factory = POSITIVE[negatedOf ?? name];
    if (!factory || !Object.hasOwn(POSITIVE, negatedOf ?? name))
      throw malformed(`unknown condition operator: ${operator}`);
    if (qualifier && !isMultivalued(key))
      throw malformed(`${qualifier} applies to multivalued condition keys; ${rawKey} holds one value`);
    const positive = factory(values);
    const test: Matcher = negatedOf ? (v) => !positive(v) : positive;
    return (facts) => {
      const present = asList(facts.get(key));
      if (present.length === 0) return qualifier === 'ForAllValues' || ifExists || negatedOf !== undefined;
      if (qualifier === 'ForAllValues') return present.every(test);
      if (qualifier === 'ForAnyValue') return present.some(test);
      // A set without a qualifier: a positive operator needs one match, a negated one that none matches.
      return negatedOf ? present.every(test) : present.some(test);
    };
  });
}

/** Compiles a statement's Condition element; `undefined` compiles to "always". */
export function compileCondition(raw: unknown): Condition | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw malformed('Condition must map condition operators to condition keys');
  const tests = Object.entries(raw as Record<string, unknown>).flatMap(([op, block]) => compileOperator(op, block));
  return (facts) => tests.every((test) => test(facts));
}
