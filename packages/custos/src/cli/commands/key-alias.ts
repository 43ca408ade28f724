// `custos key alias create|update|delete|list`: friendly names for keys.
// Must not import the store, service or api.
import type { AliasListEntry, Kms } from '@custos/contract';
import type { Command } from 'commander';
import { addGlobalOptions, aliasName, listAll, withKms } from '../options.js';
import { printResult, printTable } from '../output.js';
import { serves } from '../serves.js';

/** Every alias (all pages), optionally of one key. */
function listAllAliases(kms: Kms, keyId?: string): Promise<AliasListEntry[]> {
  return listAll(
    (marker) => kms.listAliases({ limit: 100, ...(keyId && { keyId }), ...(marker && { marker }) }),
    (page) => page.aliases,
  );
}

/** The service points aliases only at key ids or ARNs; an alias given as the target is resolved first. */
async function targetKeyId(kms: Kms, key: string): Promise<string> {
  return key.startsWith('alias/') || key.includes(':alias/')
    ? (await kms.describeKey({ keyId: key })).keyMetadata.keyId
    : key;
}

function done(json: boolean | undefined, result: Record<string, unknown>, line: string): void {
  printResult(json, result, () => process.stdout.write(`${line}\n`));
}

export function registerKeyAlias(key: Command): void {
  const alias = key.command('alias').description('manage aliases (alias/name)');

  const create = serves(alias.command('create'), 'createAlias')
    .description('create an alias for a key')
    .argument('<alias>', 'alias/name or name')
    .argument('<key>', 'key id, ARN or alias');
  addGlobalOptions(create).action((name: string, keyId: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const aliasNameValue = aliasName(name);
      await kms.createAlias({ aliasName: aliasNameValue, targetKeyId: await targetKeyId(kms, keyId) });
      done(g.json, { aliasName: aliasNameValue, targetKeyId: keyId }, `${aliasNameValue} -> ${keyId}`);
    }),
  );

  const update = serves(alias.command('update'), 'updateAlias')
    .description('point an alias at another key')
    .argument('<alias>', 'alias/name or name')
    .argument('<key>', 'key id, ARN or alias');
  addGlobalOptions(update).action((name: string, keyId: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const aliasNameValue = aliasName(name);
      await kms.updateAlias({ aliasName: aliasNameValue, targetKeyId: await targetKeyId(kms, keyId) });
      done(g.json, { aliasName: aliasNameValue, targetKeyId: keyId }, `${aliasNameValue} -> ${keyId}`);
    }),
  );

  const del = serves(alias.command('delete'), 'deleteAlias')
    .description('delete an alias (never the key)')
    .argument('<alias>', 'alias/name or name');
  addGlobalOptions(del).action((name: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const aliasNameValue = aliasName(name);
      await kms.deleteAlias({ aliasName: aliasNameValue });
      done(g.json, { aliasName: aliasNameValue, deleted: true }, `${aliasNameValue} deleted`);
    }),
  );

  const list = serves(alias.command('list'), 'listAliases')
    .description('list aliases')
    .option('--key <key>', 'only the aliases of this key');
  addGlobalOptions(list).action((o: { key?: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const aliases = await listAllAliases(kms, o.key);
      printResult(g.json, { aliases }, ({ aliases: rows }) => {
        printTable(rows, [
          { header: 'ALIAS', value: (a) => a.aliasName },
          { header: 'KEY ID', value: (a) => a.targetKeyId },
          { header: 'CREATED', value: (a) => a.creationDate },
        ]);
      });
    }),
  );
}
