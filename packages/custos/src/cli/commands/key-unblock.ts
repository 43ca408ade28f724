// `custos key unblock`: lifts a PIN-protected key's block (UnblockKeyPin) — as an admin with no PUK, or with the PUK
// (`--puk-file`), optionally setting a new PIN (`--new-pin-file`). Must not import the store, service, core or api.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { addGlobalOptions, readPinFile, withKms } from '../options.js';
import { printResult } from '../output.js';
import { serves } from '../serves.js';

interface UnblockOptions {
  pukFile?: string;
  newPinFile?: string;
}

export function registerKeyUnblock(key: Command): void {
  const unblock = serves(key.command('unblock'), 'unblockKeyPin')
    .description("lift a PIN-protected key's block: as an admin, or with its PUK (who may set a new PIN)")
    .argument('<key>', 'key id, ARN or alias')
    .option('--puk-file <file>', 'file whose first line is the PUK that key create printed')
    .option('--new-pin-file <file>', 'with --puk-file: file whose first line is the new PIN');
  addGlobalOptions(unblock).action((keyId: string, o: UnblockOptions, cmd: Command) => {
    if (o.newPinFile !== undefined && o.pukFile === undefined) throw new UsageError('--new-pin-file needs --puk-file');
    const puk = o.pukFile === undefined ? undefined : readPinFile(o.pukFile, '--puk-file');
    const newPin = o.newPinFile === undefined ? undefined : readPinFile(o.newPinFile, '--new-pin-file');
    return withKms(cmd, async (kms, g) => {
      await kms.unblockKeyPin({ keyId, ...(puk !== undefined && { puk }), ...(newPin !== undefined && { newPin }) });
      printResult(g.json, { keyId, unblocked: true, pinChanged: newPin !== undefined }, (r) =>
        process.stdout.write(`unblocked ${r.keyId}${r.pinChanged ? ' with a new PIN' : ''}\n`),
      );
    });
  });
}
