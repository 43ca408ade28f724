// `custos key rotation enable|disable|status|list`: automatic rotation (EnableKeyRotation, DisableKeyRotation,
// GetKeyRotationStatus) and the rotations a key has had (ListKeyRotations). `custos key rotate` rotates now.
// Must not import the store, service or api.
import type { Command } from 'commander';
import { addGlobalOptions, integer, listAll, withKms } from '../options.js';
import { printFields, printResult, printTable } from '../output.js';
import { serves } from '../serves.js';

export function registerKeyRotation(key: Command): void {
  const rotation = key.command('rotation').description('automatic rotation of a key, and its rotations so far');

  const status = serves(rotation.command('status'), 'getKeyRotationStatus')
    .description('whether automatic rotation is on, its period and the next date')
    .argument('<key>', 'key id, ARN or alias');
  addGlobalOptions(status).action((keyId: string, _o: unknown, c: Command) =>
    withKms(c, async (kms, g) => {
      printResult(g.json, await kms.getKeyRotationStatus({ keyId }), (r) => {
        printFields([
          ['KeyId', r.keyId],
          ['KeyRotationEnabled', r.keyRotationEnabled],
          ['RotationPeriodInDays', r.rotationPeriodInDays],
          ['NextRotationDate', r.nextRotationDate],
          ['OnDemandRotationStartDate', r.onDemandRotationStartDate],
        ]);
      });
    }),
  );

  const enable = serves(rotation.command('enable'), 'enableKeyRotation', 'getKeyRotationStatus')
    .description('turn automatic rotation on (prints the status after)')
    .argument('<key>', 'key id, ARN or alias')
    .option('--period <days>', 'days between rotations (90..2560, default 365)', integer('--period', 90, 2560));
  const disable = serves(rotation.command('disable'), 'disableKeyRotation', 'getKeyRotationStatus')
    .description('turn automatic rotation off (prints the status after)')
    .argument('<key>', 'key id, ARN or alias');
  for (const [cmd, on] of [
    [enable, true],
    [disable, false],
  ] as const) {
    addGlobalOptions(cmd).action((keyId: string, o: { period?: number }, c: Command) =>
      withKms(c, async (kms, g) => {
        if (on)
          await kms.enableKeyRotation({ keyId, ...(o.period !== undefined && { rotationPeriodInDays: o.period }) });
        else await kms.disableKeyRotation({ keyId });
        const r = await kms.getKeyRotationStatus({ keyId });
        printResult(g.json, r, () => {
          process.stdout.write(
            `${r.keyId}  rotation ${r.keyRotationEnabled ? `on, every ${String(r.rotationPeriodInDays)} days` : 'off'}\n`,
          );
        });
      }),
    );
  }

  const list = serves(rotation.command('list'), 'listKeyRotations')
    .description('the rotations of a key (each key version after the first)')
    .argument('<key>', 'key id, ARN or alias');
  addGlobalOptions(list).action((keyId: string, _o: unknown, c: Command) =>
    withKms(c, async (kms, g) => {
      const rotations = await listAll(
        (marker) => kms.listKeyRotations({ keyId, limit: 1000, ...(marker && { marker }) }),
        (page) => page.rotations,
      );
      printResult(g.json, { rotations }, (r) => {
        printTable(r.rotations, [
          { header: 'VERSION', value: (x) => x.keyVersion },
          { header: 'DATE', value: (x) => x.rotationDate },
          { header: 'TYPE', value: (x) => x.rotationType },
        ]);
      });
    }),
  );
}
