// Malformed key policies are refused with MALFORMED_POLICY_DOCUMENT, never ignored.
import { ValidationError } from '@custos/contract';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../src/service/authz/policy-document.js';

const ACCOUNT = '111122223333';
const ok = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
const doc = (statement: unknown, top: object = {}) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statement, ...top });
const withCondition = (condition: unknown) => doc({ ...ok, Condition: condition });

const MALFORMED: [string, string][] = [
  ['not JSON', '{'],
  ['not an object', '[]'],
  ['no Version', JSON.stringify({ Statement: ok })],
  ['an old Version', doc(ok, { Version: '2008-10-17' })],
  ['an unknown top-level element', doc(ok, { Foo: 1 })],
  ['no Statement', doc([])],
  ['a statement that is not an object', doc(['x'])],
  ['an unknown statement element', doc({ ...ok, Extra: 1 })],
  ['a wrong Effect', doc({ ...ok, Effect: 'Permit' })],
  ['no Principal', doc({ ...ok, Principal: undefined })],
  ['NotPrincipal', doc({ ...ok, Principal: undefined, NotPrincipal: { AWS: '*' } })],
  ['a Service principal', doc({ ...ok, Principal: { Service: 'logs.amazonaws.com' } })],
  ['a principal of another account', doc({ ...ok, Principal: { AWS: 'arn:aws:iam::999999999999:root' } })],
  ['a principal that is no ARN', doc({ ...ok, Principal: { AWS: 'alice' } })],
  ['both Action and NotAction', doc({ ...ok, NotAction: 'kms:Decrypt' })],
  ['neither Action nor NotAction', doc({ ...ok, Action: undefined })],
  ['an unknown action', doc({ ...ok, Action: 'kms:Encryptt' })],
  ['a non-kms action', doc({ ...ok, Action: 's3:GetObject' })],
  ['a wildcard matching no action', doc({ ...ok, Action: 'kms:Frob*' })],
  ['no Resource', doc({ ...ok, Resource: undefined })],
  ['NotResource', doc({ ...ok, NotResource: '*' })],
  ['a Resource that is no KMS ARN', doc({ ...ok, Resource: 'arn:aws:s3:::bucket' })],
  [
    'duplicate Sids',
    doc([
      { ...ok, Sid: 'a' },
      { ...ok, Sid: 'a' },
    ]),
  ],
  ['an unknown condition operator', withCondition({ StringSortOf: { 'kms:EncryptionAlgorithm': 'x' } })],
  ['an unknown condition key', withCondition({ StringEquals: { 'kms:Colour': 'red' } })],
  ['an unknown global key', withCondition({ StringEquals: { 'aws:Referer': 'x' } })],
  ['a bare kms:EncryptionContext: prefix', withCondition({ StringEquals: { 'kms:EncryptionContext:': 'x' } })],
  [
    'ForAnyValue on a single-valued key',
    withCondition({ 'ForAnyValue:StringEquals': { 'kms:EncryptionAlgorithm': 'x' } }),
  ],
  ['NullIfExists', withCondition({ NullIfExists: { 'kms:EncryptionContextKeys': 'true' } })],
  ['a Bool that is not true or false', withCondition({ Bool: { 'kms:GrantIsForAWSResource': 'yes' } })],
  ['a Numeric that is no number', withCondition({ NumericLessThan: { 'aws:EpochTime': 'soon' } })],
  ['a Date that is no date', withCondition({ DateLessThan: { 'aws:CurrentTime': 'tomorrow' } })],
  ['a bad CIDR', withCondition({ IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } })],
  ['not an IP address', withCondition({ IpAddress: { 'aws:SourceIp': 'localhost' } })],
  ['a condition value that is an object', withCondition({ StringEquals: { 'kms:EncryptionAlgorithm': { a: 1 } } })],
  ['an empty value list', withCondition({ StringEquals: { 'kms:EncryptionAlgorithm': [] } })],
  ['a policy variable', withCondition({ StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } })],
  ['a Condition that is an array', withCondition([])],
  ['too long', doc({ ...ok, Sid: 'x'.repeat(33000) })],
];

describe('compilePolicy', () => {
  it.each(MALFORMED)('refuses %s with MALFORMED_POLICY_DOCUMENT', (_name, text) => {
    let error: unknown;
    try {
      compilePolicy(text, ACCOUNT);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('MALFORMED_POLICY_DOCUMENT');
  });

  it('accepts AWS’s default key policy, a single Statement object, and every listed operator and key', () => {
    expect(compilePolicy(doc(ok), ACCOUNT).statements).toHaveLength(1);
    const all = {
      StringEquals: { 'kms:EncryptionContext:a': 'x', 'kms:CallerAccount': ACCOUNT, 'kms:KeyUsage': 'ENCRYPT_DECRYPT' },
      StringNotEqualsIfExists: {
        'kms:MacAlgorithm': 'HMAC_SHA_256',
        'kms:MessageType': 'RAW',
        'kms:KeyOrigin': 'AWS_KMS',
      },
      StringLike: { 'kms:RequestAlias': 'alias/*', 'kms:GranteePrincipal': '*', 'kms:RetiringPrincipal': '*' },
      'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Encrypt'], 'kms:EncryptionContextKeys': ['a'] },
      'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/*' },
      Bool: { 'kms:GrantIsForAWSResource': true },
      Null: { 'aws:PrincipalTag/team': 'false' },
      NumericGreaterThan: { 'aws:EpochTime': 0 },
      DateGreaterThanEquals: { 'aws:CurrentTime': '2020-01-01' },
      NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
      ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/x' },
      StringEqualsIgnoreCase: { 'kms:SigningAlgorithm': 'ecdsa_sha_256', 'kms:KeySpec': 'rsa_2048' },
    };
    const compiled = compilePolicy(withCondition(all), ACCOUNT);
    expect(compiled.readsResourceAliases).toBe(true);
  });
});
