// `custos key policy get|put|list`: a key's policy document (AWS JSON policy, docs/authorization.md).
// Must not import the store, service or api.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { addGlobalOptions, withKms } from '../options.js';
import { printResult } from '../output.js';

interface PutOptions {
  bypassPolicyLockoutSafetyCheck?: boolean;
}

export function registerKeyPolicy(key: Command): void {
  const policy = key.command('policy').description('read or replace the key policy');

  const get = policy.command('get').description('print the key policy').argument('<key>', 'key id, ARN or alias');
  addGlobalOptions(get).action((keyId: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.getKeyPolicy({ keyId });
      printResult(g.json, result, (r) => process.stdout.write(`${JSON.stringify(JSON.parse(r.policy), null, 2)}\n`));
    }),
  );

  const put = policy
    .command('put')
    .description('replace the key policy with the JSON document in a file')
    .argument('<key>', 'key id, ARN or alias')
    .argument('<file>', 'the policy document (JSON)')
    .option('--bypass-policy-lockout-safety-check', 'put a policy that would lock you out of changing it again');
  addGlobalOptions(put).action(async (keyId: string, file: string, o: PutOptions, cmd: Command) => {
    const text = await readFile(file, 'utf8');
    return withKms(cmd, async (kms, g) => {
      await kms.putKeyPolicy({
        keyId,
        policy: text,
        ...(o.bypassPolicyLockoutSafetyCheck && { bypassPolicyLockoutSafetyCheck: true }),
      });
      printResult(g.json, { keyId, policyName: 'default' }, () => process.stdout.write(`key policy put on ${keyId}\n`));
    });
  });

  const list = policy
    .command('list')
    .description('list the key policy names')
    .argument('<key>', 'key id, ARN or alias');
  addGlobalOptions(list).action((keyId: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.listKeyPolicies({ keyId });
      printResult(g.json, { policyNames: result.policyNames }, (r) =>
        process.stdout.write(`${r.policyNames.join('\n')}\n`),
      );
    }),
  );
}
