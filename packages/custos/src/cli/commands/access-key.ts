// `custos access-key create|list|revoke`: AWS-style access key pairs for the AWS KMS protocol (SigV4), so that AWS
// SDKs and the AWS CLI can use Custos. The secret is shown once, at creation. Must not import the store, service or api.
import { ROLES, type Role } from '@custos/contract';
import { type Command, Option } from 'commander';
import { addGlobalOptions, collectRole, listAll, withKms, collectKeyValue } from '../options.js';
import { printFields, printResult, printTable } from '../output.js';
import { serves } from '../serves.js';

interface CreateOptions {
  role?: Role[];
  tag?: Record<string, string>;
  principal?: string;
  description?: string;
}

export function registerAccessKey(program: Command): void {
  const accessKey = program.command('access-key').description('manage AWS access keys (for AWS SDKs and the AWS CLI)');

  const create = serves(accessKey.command('create'), 'createAccessKey')
    .description('create an access key pair; the secret is printed once and cannot be shown again')
    .addOption(
      new Option(
        '--role <role>',
        `role (repeatable; none: only what key policies and grants allow): ${ROLES.join(', ')}`,
      ).argParser(collectRole),
    )
    .option('--principal <name>', 'principal the key acts as (default: access-key:<id>)')
    .option('--description <text>', 'description')
    .option('--tag <key=value>', 'principal tag (repeatable): aws:PrincipalTag/<key> in key policies', collectKeyValue);
  addGlobalOptions(create).action((o: CreateOptions, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.createAccessKey({
        roles: o.role ?? [],
        ...(o.principal !== undefined && { principal: o.principal }),
        ...(o.description !== undefined && { description: o.description }),
        ...(o.tag !== undefined && { tags: o.tag }),
      });
      printResult(g.json, result, (r) => {
        printFields([
          ['AccessKeyId', r.accessKeyId],
          ['SecretAccessKey', r.secretAccessKey],
          ['Principal', r.principal],
          ['Roles', r.roles],
          ['CreatedAt', r.createdAt],
        ]);
      });
    }),
  );

  const list = serves(accessKey.command('list'), 'listAccessKeys').description(
    'list access keys (never their secrets)',
  );
  addGlobalOptions(list).action((_o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const accessKeys = await listAll(
        (marker) => kms.listAccessKeys({ ...(marker && { marker }) }),
        (page) => page.accessKeys,
      );
      printResult(g.json, { accessKeys }, ({ accessKeys: rows }) => {
        printTable(rows, [
          { header: 'ACCESS KEY ID', value: (k) => k.accessKeyId },
          { header: 'PRINCIPAL', value: (k) => k.principal },
          { header: 'ROLES', value: (k) => k.roles },
          { header: 'CREATED', value: (k) => k.createdAt },
          { header: 'REVOKED', value: (k) => k.revokedAt },
          { header: 'LAST USED', value: (k) => k.lastUsedAt },
          { header: 'DESCRIPTION', value: (k) => k.description },
        ]);
      });
    }),
  );

  const revoke = serves(accessKey.command('revoke'), 'revokeAccessKey')
    .description('revoke an access key: it stops authenticating at once')
    .argument('<accessKeyId>', 'the access key id');
  addGlobalOptions(revoke).action((accessKeyId: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      await kms.revokeAccessKey({ accessKeyId });
      printResult(g.json, { accessKeyId, revoked: true }, () =>
        process.stdout.write(`access key ${accessKeyId} revoked\n`),
      );
    }),
  );
}
