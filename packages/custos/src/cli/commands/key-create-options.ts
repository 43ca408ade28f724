// `custos key create`'s options that make a key policy or a PIN part of the key: --policy-file, --pin-policy and
// --new-pin-file (the PIN the key will need; --pin-file is the PIN a call presents). Must not import the store,
// service, core or api.
import { readFileSync } from 'node:fs';
import type { CreateKeyRequest, PinPolicy } from '@custos/contract';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { readPinFile } from '../options.js';

export interface CreateSecretOptions {
  policyFile?: string;
  pinPolicy?: string;
  newPinFile?: string;
}

export function addCreateSecretOptions(cmd: Command): Command {
  return cmd
    .option('--policy-file <file>', 'the key policy, a JSON policy document (default: AWS’s default policy)')
    .option(
      '--pin-policy <json|@file>',
      'a PIN policy: every use of the key then needs the PIN (docs/authorization.md)',
    )
    .option('--new-pin-file <file>', 'with --pin-policy: file whose first line is the new key’s PIN');
}

function readText(file: string, option: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${option}: cannot read ${file}`);
  }
}

/** The CreateKey fields the options give: `policy`, `pinPolicy` and `pin`. */
export function createSecretsOf(o: CreateSecretOptions): Pick<CreateKeyRequest, 'policy' | 'pinPolicy' | 'pin'> {
  if ((o.pinPolicy === undefined) !== (o.newPinFile === undefined))
    throw new UsageError('--pin-policy and --new-pin-file go together');
  let pinPolicy: PinPolicy | undefined;
  if (o.pinPolicy !== undefined) {
    const text = o.pinPolicy.startsWith('@') ? readText(o.pinPolicy.slice(1), '--pin-policy') : o.pinPolicy;
    try {
      pinPolicy = JSON.parse(text) as PinPolicy;
    } catch {
      throw new UsageError('--pin-policy: not a JSON object');
    }
  }
  return {
    ...(o.policyFile !== undefined && { policy: readText(o.policyFile, '--policy-file').trim() }),
    ...(pinPolicy !== undefined && { pinPolicy }),
    ...(o.newPinFile !== undefined && { pin: readPinFile(o.newPinFile, '--new-pin-file') }),
  };
}
