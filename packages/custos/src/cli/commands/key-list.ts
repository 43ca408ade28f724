// `custos key list`: keys with spec, state and aliases, filtered and sorted by the server (ListKeys' Custos fields),
// one request per page of 1000 (includeMetadata: no call per key). Must not import the store, service or api.
import {
  KEY_SPECS,
  KEY_STATES,
  KEY_USAGES,
  LIST_KEYS_SORTS,
  type KeyListEntry,
  type KeySpec,
  type KeyState,
  type KeyUsage,
  type ListKeysRequest,
  type ListKeysSort,
} from '@custos/contract';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { addGlobalOptions, listAll, splitKeyValue, withKms } from '../options.js';
import { type Column, printResult, printTable } from '../output.js';
import { serves } from '../serves.js';

interface ListOptions {
  app?: string;
  ref?: string;
  state?: KeyState[];
  spec?: KeySpec[];
  usage?: KeyUsage[];
  tag?: string;
  search?: string;
  sort?: ListKeysSort;
  desc?: boolean;
}

/** A repeatable option whose values must be one of `allowed`. */
function oneOf<T extends string>(name: string, allowed: readonly T[]) {
  return (value: string, previous: T[] | undefined): T[] => {
    if (!(allowed as readonly string[]).includes(value))
      throw new UsageError(`${name} must be one of ${allowed.join(', ')}, got '${value}'`);
    return [...(previous ?? []), value as T];
  };
}

function request(o: ListOptions): Omit<ListKeysRequest, 'limit' | 'marker'> {
  const tag = o.tag === undefined ? undefined : o.tag.includes('=') ? splitKeyValue(o.tag, 'key=value') : [o.tag];
  return {
    includeMetadata: true,
    ...(o.app !== undefined && { applicationId: o.app }),
    ...(o.ref !== undefined && { referenceId: o.ref }),
    ...(o.state && { keyStates: o.state }),
    ...(o.spec && { keySpecs: o.spec }),
    ...(o.usage && { keyUsages: o.usage }),
    ...(tag?.[0] !== undefined && { withTagKey: tag[0] }),
    ...(tag?.[1] !== undefined && { withTagValue: tag[1] }),
    ...(o.search !== undefined && { search: o.search }),
    ...(o.sort !== undefined && { sortBy: o.sort }),
    ...(o.desc === true && { sortOrder: 'desc' as const }),
  };
}

export function registerKeyList(key: Command): void {
  const list = serves(key.command('list'), 'listKeys')
    .description('list keys (with spec, state and aliases); the filters and the sort are the server’s')
    .option('--app <applicationId>', 'only the keys of this keyring application id (MOSIP)')
    .option('--ref <referenceId>', 'with --app: only the keys of this reference id ("" = the master key)')
    .option(
      '--state <state>',
      `only keys in this state (repeatable): ${KEY_STATES.join(', ')}`,
      oneOf('--state', KEY_STATES),
    )
    .option('--spec <spec>', 'only keys of this spec (repeatable)', oneOf('--spec', KEY_SPECS))
    .option(
      '--usage <usage>',
      `only keys of this usage (repeatable): ${KEY_USAGES.join(', ')}`,
      oneOf('--usage', KEY_USAGES),
    )
    .option('--tag <key[=value]>', 'only keys with this tag (and value)')
    .option('--search <text>', 'keys with an alias starting with this (alias/ optional), or the key of this id')
    .addOption(new Option('--sort <by>', 'sort by creation date (default) or key id').choices(LIST_KEYS_SORTS))
    .option('--desc', 'newest (or highest key id) first');
  addGlobalOptions(list).action((o: ListOptions, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const fields = request(o);
      const keys = await listAll(
        (marker) => kms.listKeys({ limit: 1000, ...fields, ...(marker && { marker }) }),
        (page) => page.keys,
      );
      if (g.json) {
        printResult(true, { keys }, () => undefined);
        return;
      }
      const columns: Column<KeyListEntry>[] = [
        { header: 'KEY ID', value: (k) => k.keyId },
        { header: 'SPEC', value: (k) => k.metadata?.keySpec },
        { header: 'USAGE', value: (k) => k.metadata?.keyUsage },
        { header: 'STATE', value: (k) => k.metadata?.keyState },
        { header: 'ALIASES', value: (k) => k.aliasNames ?? [] },
        { header: 'DESCRIPTION', value: (k) => k.metadata?.description },
      ];
      printTable(keys, columns);
    }),
  );
}
