// The pure key policy evaluator, table-driven: AWS's documented examples (explicit deny wins, the default policy
// delegates to IAM, encryption context, ForAnyValue/ForAllValues, IfExists, Null, Bool, Numeric, Date, IpAddress,
// StringLike).
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type PolicyDecision } from '../../../src/service/authz/evaluate.js';
import { compilePolicy } from '../../../src/service/authz/policy-document.js';
import type { FactValue, RequestFacts } from '../../../src/service/authz/request-facts.js';

const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const user = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

function facts(values: Record<string, FactValue> = {}, context?: Record<string, string>): RequestFacts {
  const lower: Record<string, FactValue> = {};
  for (const [k, v] of Object.entries(values)) lower[k.toLowerCase()] = v;
  if (context) {
    lower['kms:encryptioncontextkeys'] = Object.keys(context);
    for (const [k, v] of Object.entries(context)) lower[`kms:encryptioncontext:${k.toLowerCase()}`] = v;
  }
  return { principalArn: user('alice'), encryptionContext: context, get: (name) => lower[name] };
}

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (extra: object = {}) => ({
  Effect: 'Allow',
  Principal: { AWS: user('alice') },
  Action: 'kms:Encrypt',
  Resource: '*',
  ...extra,
});
const deny = (extra: object = {}) => ({ ...allow(), Effect: 'Deny', ...extra });
const DEFAULT = policy({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: ROOT },
  Action: 'kms:*',
  Resource: '*',
});

interface Case {
  readonly name: string;
  readonly policy: string;
  readonly action?: string;
  readonly principal?: string;
  readonly rolesAllow?: boolean;
  readonly facts?: RequestFacts;
  readonly expected: PolicyDecision;
}

const ctx = { Department: 'IT', Project: 'Alpha' };

const CASES: Case[] = [
  // The default key policy delegates to identity policies: roles decide.
  { name: 'default policy, roles allow', policy: DEFAULT, rolesAllow: true, expected: 'allow' },
  { name: 'default policy, roles do not allow', policy: DEFAULT, rolesAllow: false, expected: 'none' },
  {
    name: 'a bare account id is the account root',
    policy: policy({ ...allow(), Principal: { AWS: ACCOUNT } }),
    principal: 'bob',
    rolesAllow: true,
    expected: 'allow',
  },
  // Direct grants to a principal need no role.
  { name: 'user ARN allows that principal with no role', policy: policy(allow()), expected: 'allow' },
  {
    name: 'role/ ARN names the principal too',
    policy: policy({ ...allow(), Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/alice` } }),
    expected: 'allow',
  },
  { name: 'another principal is not allowed', policy: policy(allow()), principal: 'bob', expected: 'none' },
  {
    name: 'Principal "*" allows everyone',
    policy: policy({ ...allow(), Principal: '*' }),
    principal: 'bob',
    expected: 'allow',
  },
  {
    name: 'Principal {AWS: "*"} allows everyone',
    policy: policy({ ...allow(), Principal: { AWS: '*' } }),
    principal: 'bob',
    expected: 'allow',
  },
  { name: 'action not listed', policy: policy(allow()), action: 'kms:Decrypt', expected: 'none' },
  { name: 'action names are case-insensitive', policy: policy(allow({ Action: 'KMS:encrypt' })), expected: 'allow' },
  {
    name: 'action wildcard kms:Re*',
    policy: policy(allow({ Action: 'kms:ReEncrypt*' })),
    action: 'kms:ReEncryptTo',
    expected: 'allow',
  },
  {
    name: 'action wildcard kms:Generate*',
    policy: policy(allow({ Action: ['kms:Generate*'] })),
    action: 'kms:GenerateDataKey',
    expected: 'allow',
  },
  {
    name: 'NotAction allows the others',
    policy: policy(allow({ Action: undefined, NotAction: 'kms:Decrypt' })),
    expected: 'allow',
  },
  {
    name: 'NotAction excludes its own',
    policy: policy(allow({ Action: undefined, NotAction: 'kms:Encrypt' })),
    expected: 'none',
  },
  {
    name: 'Resource of another key does not apply',
    policy: policy(allow({ Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/other` })),
    expected: 'none',
  },
  {
    name: 'Resource wildcard ARN applies',
    policy: policy(allow({ Resource: `arn:aws:kms:*:${ACCOUNT}:key/*` })),
    expected: 'allow',
  },
  // Explicit deny wins.
  { name: 'Deny wins over Allow to the principal', policy: policy(allow(), deny()), expected: 'deny' },
  {
    name: 'Deny wins over the default policy and roles',
    policy: policy(JSON.parse(DEFAULT).Statement[0], { ...deny(), Principal: '*' }),
    rolesAllow: true,
    expected: 'deny',
  },
  {
    name: 'Deny to the account root applies to every principal',
    policy: policy(allow(), deny({ Principal: { AWS: ROOT } })),
    rolesAllow: false,
    expected: 'deny',
  },
  {
    name: 'Deny for another principal does not apply',
    policy: policy(allow(), deny({ Principal: { AWS: user('bob') } })),
    expected: 'allow',
  },
  {
    name: 'Deny whose condition fails does not apply',
    policy: policy(allow(), deny({ Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'HR' } } })),
    facts: facts({}, ctx),
    expected: 'allow',
  },
  // Encryption context (AWS: kms:EncryptionContext:context-key, kms:EncryptionContextKeys).
  {
    name: 'EncryptionContext equals',
    policy: policy(allow({ Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'IT' } } })),
    facts: facts({}, ctx),
    expected: 'allow',
  },
  {
    name: 'EncryptionContext differs',
    policy: policy(allow({ Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'HR' } } })),
    facts: facts({}, ctx),
    expected: 'none',
  },
  {
    name: 'EncryptionContext absent fails StringEquals',
    policy: policy(allow({ Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'IT' } } })),
    facts: facts(),
    expected: 'none',
  },
  {
    name: 'context key names are case-insensitive',
    policy: policy(allow({ Condition: { StringEquals: { 'kms:encryptioncontext:department': 'IT' } } })),
    facts: facts({}, ctx),
    expected: 'allow',
  },
  {
    name: 'ForAllValues keys subset: allowed keys only',
    policy: policy(
      allow({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department', 'Project'] } } }),
    ),
    facts: facts({}, ctx),
    expected: 'allow',
  },
  {
    name: 'ForAllValues keys: an extra key fails',
    policy: policy(
      allow({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department'] } } }),
    ),
    facts: facts({}, ctx),
    expected: 'none',
  },
  {
    name: 'ForAllValues with no context is true (AWS caveat)',
    policy: policy(
      allow({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department'] } } }),
    ),
    facts: facts(),
    expected: 'allow',
  },
  {
    name: 'ForAnyValue keys: one present',
    policy: policy(
      allow({ Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['Project', 'Other'] } } }),
    ),
    facts: facts({}, ctx),
    expected: 'allow',
  },
  {
    name: 'ForAnyValue keys: none present',
    policy: policy(allow({ Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['Other'] } } })),
    facts: facts({}, ctx),
    expected: 'none',
  },
  {
    name: 'ForAnyValue with no context is false',
    policy: policy(allow({ Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['Other'] } } })),
    facts: facts(),
    expected: 'none',
  },
  {
    name: 'Null false requires a context',
    policy: policy(allow({ Condition: { Null: { 'kms:EncryptionContextKeys': 'false' } } })),
    facts: facts(),
    expected: 'none',
  },
  {
    name: 'Null false with a context',
    policy: policy(allow({ Condition: { Null: { 'kms:EncryptionContextKeys': false } } })),
    facts: facts({}, ctx),
    expected: 'allow',
  },
  {
    name: 'Null true: absent',
    policy: policy(allow({ Condition: { Null: { 'kms:EncryptionContext:Department': 'true' } } })),
    facts: facts(),
    expected: 'allow',
  },
  // IfExists and negated operators.
  {
    name: 'StringEqualsIfExists with the key absent',
    policy: policy(allow({ Condition: { StringEqualsIfExists: { 'kms:EncryptionContext:Department': 'IT' } } })),
    facts: facts(),
    expected: 'allow',
  },
  {
    name: 'StringEqualsIfExists with a wrong value',
    policy: policy(allow({ Condition: { StringEqualsIfExists: { 'kms:EncryptionContext:Department': 'HR' } } })),
    facts: facts({}, ctx),
    expected: 'none',
  },
  {
    name: 'StringNotEquals with the key absent is true',
    policy: policy(allow({ Condition: { StringNotEquals: { 'kms:EncryptionContext:Department': 'HR' } } })),
    facts: facts(),
    expected: 'allow',
  },
  {
    name: 'StringNotEquals with that value',
    policy: policy(allow({ Condition: { StringNotEquals: { 'kms:EncryptionContext:Department': 'IT' } } })),
    facts: facts({}, ctx),
    expected: 'none',
  },
  {
    name: 'StringEqualsIgnoreCase',
    policy: policy(allow({ Condition: { StringEqualsIgnoreCase: { 'kms:EncryptionContext:Department': 'it' } } })),
    facts: facts({}, ctx),
    expected: 'allow',
  },
  // StringLike wildcards, algorithms, aliases.
  {
    name: 'StringLike * wildcard on an alias',
    policy: policy(allow({ Condition: { StringLike: { 'kms:RequestAlias': 'alias/finance-*' } } })),
    facts: facts({ 'kms:RequestAlias': 'alias/finance-key' }),
    expected: 'allow',
  },
  {
    name: 'StringLike ? wildcard',
    policy: policy(allow({ Condition: { StringLike: { 'kms:RequestAlias': 'alias/app?' } } })),
    facts: facts({ 'kms:RequestAlias': 'alias/app12' }),
    expected: 'none',
  },
  {
    name: 'StringNotLike',
    policy: policy(allow({ Condition: { StringNotLike: { 'kms:RequestAlias': 'alias/test-*' } } })),
    facts: facts({ 'kms:RequestAlias': 'alias/prod-1' }),
    expected: 'allow',
  },
  {
    name: 'ForAnyValue:StringLike on ResourceAliases',
    policy: policy(allow({ Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/finance*' } } })),
    facts: facts({ 'kms:ResourceAliases': ['alias/x', 'alias/finance-1'] }),
    expected: 'allow',
  },
  {
    name: 'algorithm condition allows RSAES_OAEP_SHA_256',
    policy: policy(allow({ Condition: { StringEquals: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' } } })),
    facts: facts({ 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_1' }),
    expected: 'none',
  },
  {
    name: 'SigningAlgorithm list',
    policy: policy(
      allow({
        Action: 'kms:Sign',
        Condition: { StringEquals: { 'kms:SigningAlgorithm': ['ECDSA_SHA_256', 'ECDSA_SHA_384'] } },
      }),
    ),
    action: 'kms:Sign',
    facts: facts({ 'kms:SigningAlgorithm': 'ECDSA_SHA_384' }),
    expected: 'allow',
  },
  {
    name: 'KeySpec condition',
    policy: policy(allow({ Condition: { StringEquals: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' } } })),
    facts: facts({ 'kms:KeySpec': 'SYMMETRIC_DEFAULT' }),
    expected: 'allow',
  },
  // Bool, Numeric, Date, IpAddress, ARNs, tags.
  {
    name: 'Bool',
    policy: policy(allow({ Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } } })),
    facts: facts({ 'kms:GrantIsForAWSResource': 'false' }),
    expected: 'allow',
  },
  {
    name: 'NumericLessThan on epoch time',
    policy: policy(allow({ Condition: { NumericLessThan: { 'aws:EpochTime': 2000000000 } } })),
    facts: facts({ 'aws:EpochTime': '1700000000' }),
    expected: 'allow',
  },
  {
    name: 'NumericGreaterThanEquals fails',
    policy: policy(allow({ Condition: { NumericGreaterThanEquals: { 'aws:EpochTime': '2000000000' } } })),
    facts: facts({ 'aws:EpochTime': '1700000000' }),
    expected: 'none',
  },
  {
    name: 'DateLessThan allows before the date',
    policy: policy(allow({ Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })),
    facts: facts({ 'aws:CurrentTime': '2026-06-01T00:00:00.000Z' }),
    expected: 'allow',
  },
  {
    name: 'DateGreaterThan refuses before the date',
    policy: policy(allow({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })),
    facts: facts({ 'aws:CurrentTime': '2026-06-01T00:00:00.000Z' }),
    expected: 'none',
  },
  {
    name: 'IpAddress in the CIDR block',
    policy: policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } } })),
    facts: facts({ 'aws:SourceIp': '203.0.113.9' }),
    expected: 'allow',
  },
  {
    name: 'IpAddress IPv6',
    policy: policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } } })),
    facts: facts({ 'aws:SourceIp': '2001:db8::1' }),
    expected: 'allow',
  },
  {
    name: 'IPv4-mapped IPv6 address',
    policy: policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.1/32' } } })),
    facts: facts({ 'aws:SourceIp': '::ffff:127.0.0.1' }),
    expected: 'allow',
  },
  {
    name: 'IpAddress outside',
    policy: policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })),
    facts: facts({ 'aws:SourceIp': '198.51.100.1' }),
    expected: 'none',
  },
  {
    name: 'IpAddress with no source (in-process) fails',
    policy: policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })),
    facts: facts(),
    expected: 'none',
  },
  {
    name: 'Deny NotIpAddress from outside',
    policy: policy(allow(), deny({ Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })),
    facts: facts({ 'aws:SourceIp': '192.0.2.1' }),
    expected: 'deny',
  },
  {
    name: 'ArnLike on PrincipalArn',
    policy: policy({
      ...allow(),
      Principal: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/ali*` } },
    }),
    facts: facts({ 'aws:PrincipalArn': user('alice') }),
    expected: 'allow',
  },
  {
    name: 'PrincipalTag',
    policy: policy({ ...allow(), Principal: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'billing' } } }),
    facts: facts({ 'aws:PrincipalTag/team': 'billing' }),
    expected: 'allow',
  },
  {
    name: 'several operators are ANDed',
    policy: policy(
      allow({
        Condition: {
          StringEquals: { 'kms:EncryptionContext:Department': 'IT' },
          IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
        },
      }),
    ),
    facts: facts({}, ctx),
    expected: 'none',
  },
  {
    name: 'several keys in one operator are ANDed',
    policy: policy(
      allow({
        Condition: {
          StringEquals: { 'kms:EncryptionContext:Department': 'IT', 'kms:EncryptionContext:Project': 'Beta' },
        },
      }),
    ),
    facts: facts({}, ctx),
    expected: 'none',
  },
  {
    name: 'several values of one key are ORed',
    policy: policy(allow({ Condition: { StringEquals: { 'kms:EncryptionContext:Project': ['Beta', 'Alpha'] } } })),
    facts: facts({}, ctx),
    expected: 'allow',
  },
];

describe('evaluatePolicy', () => {
  it.each(CASES)('$name → $expected', (c) => {
    const compiled = compilePolicy(c.policy, ACCOUNT);
    const decision = evaluatePolicy(compiled, {
      action: c.action ?? 'kms:Encrypt',
      principal: c.principal ?? 'alice',
      accountId: ACCOUNT,
      keyArn: KEY_ARN,
      rolesAllow: c.rolesAllow ?? false,
      facts: c.facts ?? facts(),
    });
    expect(decision).toBe(c.expected);
  });
});
