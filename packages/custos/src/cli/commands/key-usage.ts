// `custos key usage`, `key min-decryption-version` and `key trim-versions`: a key's usage per version and operation
// (GetKeyUsage), the oldest version Decrypt accepts (UpdateMinDecryptionVersion), and destroying the versions below
// it after a pending window (TrimKeyVersions). Must not import the store, service or api.
import { type Command, Option } from 'commander';
import { addGlobalOptions, integer, withKms } from '../options.js';
import { printFields, printResult, printTable } from '../output.js';
import { serves } from '../serves.js';

export function registerKeyUsage(key: Command): void {
  const usage = serves(key.command('usage'), 'getKeyUsage')
    .description('how often each version of a key was used, per operation, and when last')
    .argument('<key>', 'key id, ARN or alias');
  addGlobalOptions(usage).action((keyId: string, _o: unknown, c: Command) =>
    withKms(c, async (kms, g) => {
      printResult(g.json, await kms.getKeyUsage({ keyId }), (r) => {
        printFields([
          ['KeyId', r.keyId],
          ['LastUsedAt', r.lastUsedAt],
        ]);
        printTable(r.usage, [
          { header: 'VERSION', value: (x) => x.keyVersion },
          { header: 'OPERATION', value: (x) => x.operation },
          { header: 'COUNT', value: (x) => x.count },
          { header: 'LAST USED', value: (x) => x.lastUsedAt },
        ]);
      });
    }),
  );

  const min = serves(key.command('min-decryption-version'), 'updateMinDecryptionVersion')
    .description('the oldest version of a symmetric key Decrypt accepts (older ciphertexts are refused)')
    .argument('<key>', 'key id, ARN or alias')
    .argument('<version>', 'the version (1 = all)', integer('<version>', 1, 2 ** 31 - 1));
  addGlobalOptions(min).action((keyId: string, version: number, _o: unknown, c: Command) =>
    withKms(c, async (kms, g) => {
      printResult(g.json, await kms.updateMinDecryptionVersion({ keyId, minDecryptionVersion: version }), (r) => {
        printFields([
          ['KeyId', r.keyId],
          ['MinDecryptionVersion', r.minDecryptionVersion],
          ['CurrentKeyVersion', r.currentKeyVersion],
        ]);
      });
    }),
  );

  const trim = serves(key.command('trim-versions'), 'trimKeyVersions')
    .description('destroy the versions below the minimum decryption version, after a waiting period')
    .argument('<key>', 'key id, ARN or alias')
    .addOption(
      new Option('--days <n>', 'waiting period in days (server default: 30)').argParser(integer('--days', 1, 30)),
    );
  addGlobalOptions(trim).action((keyId: string, o: { days?: number }, c: Command) =>
    withKms(c, async (kms, g) => {
      const r = await kms.trimKeyVersions({ keyId, ...(o.days !== undefined && { pendingWindowInDays: o.days }) });
      printResult(g.json, r, () => {
        printFields([
          ['KeyId', r.keyId],
          ['TrimmedBelowVersion', r.trimmedBelowVersion],
          ['TrimDate', r.trimDate],
          ['PendingWindowInDays', r.pendingWindowInDays],
        ]);
      });
    }),
  );
}
