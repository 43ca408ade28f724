// How Custos principals appear in key policies: AWS IAM ARNs under the server's account (docs/authorization.md).
// Must not import api or store.

/** `arn:aws:iam::<account>:root`: the account, to which AWS's default key policy delegates. */
function accountRootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

/** The caller's own ARN (`aws:PrincipalArn`): `arn:aws:iam::<account>:user/<principal>`. */
export function principalArn(accountId: string, principal: string): string {
  return `arn:aws:iam::${accountId}:user/${principal}`;
}

/** What a policy's principal entry names, for the caller `principal` of account `accountId`. */
export type PrincipalMatch = 'everyone' | 'caller' | 'account' | 'none';

/**
 * Whether the policy's principal entry `entry` names the caller: `"*"` everyone; the account root (ARN or bare
 * 12-digit id) the account, whose identity policies (roles) then decide; `user/<p>` and `role/<p>` the principal p.
 */
export function matchPrincipal(entry: string, accountId: string, principal: string): PrincipalMatch {
  if (entry === '*') return 'everyone';
  if (entry === accountId || entry === accountRootArn(accountId)) return 'account';
  const prefix = `arn:aws:iam::${accountId}:`;
  if (!entry.startsWith(prefix)) return 'none';
  const rest = entry.slice(prefix.length);
  if (rest === `user/${principal}` || rest === `role/${principal}`) return 'caller';
  return 'none';
}
