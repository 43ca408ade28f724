// `custos key policy get|put|list`: a key's policy document (GetKeyPolicy, PutKeyPolicy, ListKeyPolicies), as AWS KMS
// spells it (docs/authorization.md).
// Must not import the store, service or api.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { openInput, readAllBounded } from '../io.js';
import { addGlobalOptions, withKms } from '../options.js';
import { printJson } from '../output.js';
import { serves } from '../serves.js';

/** AWS's limit on a key policy document. */
const MAX_POLICY_BYTES = 32_768;

/** The policy key's policy commands hang under (`key policy ...`); other policy commands may join it. */
function keyPolicyGroup(key: Command): Command {
  return key.commands.find((c) => c.name() === 'policy') ?? key.command('policy').description('the key policy');
}

export function registerKeyPolicy(key: Command): void {
  const policy = keyPolicyGroup(key);

  const get = serves(policy.command('get'), 'getKeyPolicy')
    .description('print the key policy document')
    .argument('<key>', 'key id, ARN or alias')
    .option('--policy-name <name>', 'the policy name (only "default")');
  addGlobalOptions(get).action((keyId: string, o: { policyName?: string }, c: Command) =>
    withKms(c, async (kms, g) => {
      const r = await kms.getKeyPolicy({ keyId, ...(o.policyName !== undefined && { policyName: o.policyName }) });
      if (g.json) printJson(r);
      else process.stdout.write(r.policy.endsWith('\n') ? r.policy : `${r.policy}\n`);
    }),
  );

  const put = serves(policy.command('put'), 'putKeyPolicy')
    .description('replace the key policy with a JSON document from [file], --in (or stdin)')
    .argument('<key>', 'key id, ARN or alias')
    .argument('[file]', 'the policy document (JSON); same as --in')
    .option('--in <file>', 'the policy document (default stdin)')
    .option('--policy-name <name>', 'the policy name (only "default")')
    .option('--bypass-policy-lockout-safety-check', 'allow a policy that locks the caller out');
  addGlobalOptions(put).action(
    (
      keyId: string,
      file: string | undefined,
      o: { in?: string; policyName?: string; bypassPolicyLockoutSafetyCheck?: boolean },
      c: Command,
    ) =>
      withKms(c, async (kms, g) => {
        if (file !== undefined && o.in !== undefined)
          throw new UsageError('give the policy as [file] or --in, not both');
        const text = (await readAllBounded(openInput(file ?? o.in).stream, MAX_POLICY_BYTES, 'the policy')).toString(
          'utf8',
        );
        try {
          JSON.parse(text);
        } catch {
          throw new UsageError('the policy is not valid JSON');
        }
        await kms.putKeyPolicy({
          keyId,
          policy: text.trim(),
          ...(o.policyName !== undefined && { policyName: o.policyName }),
          ...(o.bypassPolicyLockoutSafetyCheck && { bypassPolicyLockoutSafetyCheck: true }),
        });
        if (g.json) printJson({ keyId, policyName: o.policyName ?? 'default' });
        else process.stdout.write(`policy of ${keyId} replaced\n`);
      }),
  );

  const list = serves(policy.command('list'), 'listKeyPolicies')
    .description('list the key policy names (AWS: only "default")')
    .argument('<key>', 'key id, ARN or alias');
  addGlobalOptions(list).action((keyId: string, _o: unknown, c: Command) =>
    withKms(c, async (kms, g) => {
      const { policyNames } = await kms.listKeyPolicies({ keyId });
      if (g.json) printJson({ policyNames });
      else process.stdout.write(`${policyNames.join('\n')}\n`);
    }),
  );
}
