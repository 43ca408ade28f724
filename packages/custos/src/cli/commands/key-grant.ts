// `custos key grant create|list|retire|revoke`: grants on a key (AWS KMS grants, docs/authorization.md "Grants").
// Must not import the store, service or api.
import { GRANT_OPERATIONS, type GrantConstraints, type GrantListEntry, type GrantOperation } from '@custos/contract';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { serves } from '../serves.js';
import { addGlobalOptions, collectKeyValue, listAll, withKms } from '../options.js';
import { printFields, printResult, printTable } from '../output.js';

interface CreateOptions {
  grantee: string;
  operation: GrantOperation[];
  retiringPrincipal?: string;
  contextEquals?: Record<string, string>;
  contextSubset?: Record<string, string>;
  name?: string;
}

/** Collects a repeatable `--operation`, refusing names that are not grant operations. */
function collectOperation(value: string, previous: GrantOperation[] | undefined): GrantOperation[] {
  if (!(GRANT_OPERATIONS as readonly string[]).includes(value))
    throw new UsageError(`--operation must be one of ${GRANT_OPERATIONS.join(', ')}, got '${value}'`);
  return [...(previous ?? []), value as GrantOperation];
}

function constraintsOf(o: CreateOptions): GrantConstraints | undefined {
  if (!o.contextEquals && !o.contextSubset) return undefined;
  return {
    ...(o.contextEquals && { encryptionContextEquals: o.contextEquals }),
    ...(o.contextSubset && { encryptionContextSubset: o.contextSubset }),
  };
}

function printGrants(grants: readonly GrantListEntry[]): void {
  printTable(grants, [
    { header: 'GRANT ID', value: (g) => g.grantId },
    { header: 'GRANTEE', value: (g) => g.granteePrincipal },
    { header: 'OPERATIONS', value: (g) => g.operations.join(',') },
    { header: 'RETIRING', value: (g) => g.retiringPrincipal ?? '' },
    { header: 'NAME', value: (g) => g.name ?? '' },
  ]);
}

export function registerKeyGrant(key: Command): void {
  const grant = key.command('grant').description('manage the grants of a key');

  const create = serves(grant.command('create'), 'createGrant')
    .description('let a principal use a key for some operations; prints the grant id and a grant token')
    .argument('<key>', 'key id, ARN or alias')
    .requiredOption('--grantee <principal>', 'the grantee: a principal name or arn:aws:iam::<account>:user/<name>')
    .requiredOption('--operation <operation>', 'an operation the grant allows (repeatable)', collectOperation)
    .option('--retiring-principal <principal>', 'a principal that may retire the grant')
    .option(
      '--context-equals <key=value>',
      'encryption context the call must have exactly (repeatable)',
      collectKeyValue,
    )
    .option('--context-subset <key=value>', 'encryption context the call must include (repeatable)', collectKeyValue)
    .option('--name <name>', 'a name: the same name and parameters give back the same grant');
  addGlobalOptions(create).action((keyId: string, o: CreateOptions, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const constraints = constraintsOf(o);
      const result = await kms.createGrant({
        keyId,
        granteePrincipal: o.grantee,
        operations: o.operation,
        ...(o.retiringPrincipal !== undefined && { retiringPrincipal: o.retiringPrincipal }),
        ...(constraints && { constraints }),
        ...(o.name !== undefined && { name: o.name }),
      });
      printResult(g.json, result, (r) => {
        printFields([
          ['grant id', r.grantId],
          ['grant token', r.grantToken],
        ]);
      });
    }),
  );

  const list = serves(grant.command('list'), 'listGrants', 'listRetirableGrants')
    .description("list a key's grants, or with --retiring-principal the grants a principal may retire")
    .argument('[key]', 'key id, ARN or alias')
    .option('--grant-id <id>', 'only this grant')
    .option('--grantee <principal>', 'only the grants of this grantee')
    .option('--retiring-principal <principal>', 'the grants, on any key, this principal may retire');
  addGlobalOptions(list).action(
    (
      keyId: string | undefined,
      o: { grantId?: string; grantee?: string; retiringPrincipal?: string },
      cmd: Command,
    ) => {
      if ((keyId === undefined) === (o.retiringPrincipal === undefined))
        throw new UsageError('give a key, or --retiring-principal (not both)');
      return withKms(cmd, async (kms, g) => {
        const grants = await listAll(
          (marker) => {
            const page = { limit: 100, ...(marker && { marker }) };
            if (keyId === undefined)
              return kms.listRetirableGrants({ retiringPrincipal: o.retiringPrincipal ?? '', ...page });
            return kms.listGrants({
              keyId,
              ...page,
              ...(o.grantId !== undefined && { grantId: o.grantId }),
              ...(o.grantee !== undefined && { granteePrincipal: o.grantee }),
            });
          },
          (page) => page.grants,
        );
        printResult(g.json, { grants }, (r) => {
          printGrants(r.grants);
        });
      });
    },
  );

  const retire = serves(grant.command('retire'), 'retireGrant')
    .description('retire a grant, named by its token or by key and grant id')
    .argument('[key]', 'key id, ARN or alias (with --grant-id)')
    .option('--grant-token <token>', 'the grant token CreateGrant returned')
    .option('--grant-id <id>', 'the grant id (with the key)');
  addGlobalOptions(retire).action(
    (keyId: string | undefined, o: { grantToken?: string; grantId?: string }, cmd: Command) => {
      if (o.grantToken === undefined && (keyId === undefined || o.grantId === undefined))
        throw new UsageError('give --grant-token, or a key and --grant-id');
      return withKms(cmd, async (kms, g) => {
        await kms.retireGrant({
          ...(o.grantToken !== undefined && { grantToken: o.grantToken }),
          ...(keyId !== undefined && { keyId }),
          ...(o.grantId !== undefined && { grantId: o.grantId }),
        });
        printResult(g.json, { retired: true }, () => process.stdout.write('grant retired\n'));
      });
    },
  );

  const revoke = serves(grant.command('revoke'), 'revokeGrant')
    .description('revoke a grant of a key')
    .argument('<key>', 'key id, ARN or alias')
    .argument('<grantId>', 'the grant id');
  addGlobalOptions(revoke).action((keyId: string, grantId: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      await kms.revokeGrant({ keyId, grantId });
      printResult(g.json, { keyId, grantId, revoked: true }, () => process.stdout.write(`grant ${grantId} revoked\n`));
    }),
  );
}
