// `custos key tag add|remove|list`: tags on a key (k=v to add, k to remove).
// Must not import the store, service or api.
import type { Tag } from '@custos/contract';
import type { Command } from 'commander';
import { addGlobalOptions, listAll, splitKeyValue, withKms } from '../options.js';
import { printResult, printTable } from '../output.js';
import { serves } from '../serves.js';

export function registerKeyTag(key: Command): void {
  const tag = key.command('tag').description('manage the tags of a key');

  const add = serves(tag.command('add'), 'tagResource')
    .description('add or overwrite tags')
    .argument('<key>', 'key id, ARN or alias')
    .argument('<tags...>', 'key=value pairs');
  addGlobalOptions(add).action((keyId: string, pairs: string[], _o: unknown, cmd: Command) => {
    const tags: Tag[] = pairs.map((p) => {
      const [tagKey, tagValue] = splitKeyValue(p, 'tag key=value');
      return { tagKey, tagValue };
    });
    return withKms(cmd, async (kms, g) => {
      await kms.tagResource({ keyId, tags });
      printResult(g.json, { keyId, tags }, () => process.stdout.write(`${tags.length} tag(s) set on ${keyId}\n`));
    });
  });

  const remove = serves(tag.command('remove'), 'untagResource')
    .description('remove tags by key')
    .argument('<key>', 'key id, ARN or alias')
    .argument('<tagKeys...>', 'tag keys');
  addGlobalOptions(remove).action((keyId: string, tagKeys: string[], _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      await kms.untagResource({ keyId, tagKeys });
      printResult(g.json, { keyId, tagKeys }, () =>
        process.stdout.write(`${tagKeys.length} tag(s) removed from ${keyId}\n`),
      );
    }),
  );

  const list = serves(tag.command('list'), 'listResourceTags')
    .description('list the tags of a key')
    .argument('<key>', 'key id, ARN or alias');
  addGlobalOptions(list).action((keyId: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const tags = await listAll(
        (marker) => kms.listResourceTags({ keyId, limit: 50, ...(marker && { marker }) }),
        (page) => page.tags,
      );
      printResult(g.json, { tags }, ({ tags: rows }) => {
        printTable(rows, [
          { header: 'KEY', value: (t) => t.tagKey },
          { header: 'VALUE', value: (t) => t.tagValue },
        ]);
      });
    }),
  );
}
