// The key policy the bench's "encrypt 1 KiB, 10-statement policy" row runs under: ten statements with conditions,
// every one evaluated on each call (nine Denies whose conditions do not hold, the default root statement that
// allows). Compared with "encrypt 1 KiB" (a key with the default policy) in the same run.

/** The policy document, for the server's account. */
export function tenStatementPolicy(account = '000000000000'): string {
  const deny = (Sid: string, Condition: object, Action: string | string[] = 'kms:*') => ({
    Sid,
    Effect: 'Deny',
    Principal: '*',
    Action,
    Resource: '*',
    Condition,
  });
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'root',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      deny('tenant', { StringEquals: { 'kms:EncryptionContext:tenant': 'blocked' } }, ['kms:Encrypt', 'kms:Decrypt']),
      deny('network', { NotIpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128', '10.0.0.0/8'] } }),
      deny('expiry', { DateGreaterThan: { 'aws:CurrentTime': '2100-01-01T00:00:00Z' } }),
      deny('alias', { StringLike: { 'kms:RequestAlias': 'alias/forbidden-*' } }, 'kms:Encrypt'),
      deny('context-keys', { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['secret', 'forbidden'] } }),
      deny('algorithm', { StringNotEqualsIfExists: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } }, 'kms:Encrypt'),
      deny('grants', { Bool: { 'kms:GrantIsForAWSResource': 'true' } }),
      deny('epoch', { NumericGreaterThan: { 'aws:EpochTime': '4102444800' } }),
      deny('tag', { StringEquals: { 'aws:PrincipalTag/blocked': 'true' } }),
    ],
  });
}
