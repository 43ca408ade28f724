// `custos trust add|list|delete|verify`: the trust store's anchors per domain, and chain verification against them.
// Must not import the store, service, core or api.
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { addGlobalOptions, listAll, withKms } from '../options.js';
import { printFields, printJson, printResult, printTable } from '../output.js';
import { readPemBlocks } from './pem-files.js';
import { serves } from '../serves.js';

export function registerTrust(program: Command): void {
  const trust = program.command('trust').description('the trust store: pinned CA certificates per domain');

  const add = serves(trust.command('add'), 'addTrustedCertificate')
    .description('pin a certificate as a trust anchor')
    .requiredOption('--in <file>', 'PEM file with one certificate')
    .option('--domain <domain>', 'trust domain (default "default")');
  addGlobalOptions(add).action((o: { in: string; domain?: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const [certificate, ...more] = readPemBlocks(o.in, '--in');
      if (certificate === undefined || more.length > 0)
        throw new CliError('VALIDATION_ERROR', `--in: ${o.in} must hold exactly one certificate`);
      const anchor = await kms.addTrustedCertificate({
        certificate,
        ...(o.domain && { domain: o.domain }),
      });
      const { certificate: _pem, ...shown } = anchor;
      printResult(g.json, shown, (a) => {
        printFields(Object.entries(a));
      });
    }),
  );

  const list = serves(trust.command('list'), 'listTrustedCertificates')
    .description('list trust anchors')
    .option('--domain <domain>', 'only this domain');
  addGlobalOptions(list).action((o: { domain?: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const anchors = await listAll(
        (marker) =>
          kms.listTrustedCertificates({ limit: 100, ...(o.domain && { domain: o.domain }), ...(marker && { marker }) }),
        (page) => page.certificates,
      );
      printResult(g.json, anchors, (rows) => {
        printTable(rows, [
          { header: 'ID', value: (a) => a.id },
          { header: 'DOMAIN', value: (a) => a.domain },
          { header: 'SUBJECT', value: (a) => a.subject },
          { header: 'NOT AFTER', value: (a) => a.notAfter },
          { header: 'SHA-256', value: (a) => a.thumbprint },
        ]);
      });
    }),
  );

  const remove = serves(trust.command('delete'), 'deleteTrustedCertificate')
    .description('unpin a trust anchor')
    .argument('<id>', 'anchor id');
  addGlobalOptions(remove).action((id: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      await kms.deleteTrustedCertificate({ id });
      printResult(g.json, { id, deleted: true }, () => process.stdout.write(`deleted trust anchor ${id}\n`));
    }),
  );

  const verify = serves(trust.command('verify'), 'verifyCertificateChain')
    .description('verify a chain to a trust anchor: exit 0 if valid, 1 with the reason if not')
    .requiredOption('--in <file>', 'PEM file: the leaf certificate, then its intermediates')
    .option('--domain <domain>', 'trust domain (default "default")');
  addGlobalOptions(verify).action((o: { in: string; domain?: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const verdict = await kms.verifyCertificateChain({
        certificateChain: readPemBlocks(o.in, '--in'),
        ...(o.domain && { domain: o.domain }),
      });
      if (g.json) printJson(verdict);
      else if (verdict.valid) {
        process.stdout.write(`chain valid: ${verdict.path.map((p) => p.subject).join(' <- ')}\n`);
      }
      if (!verdict.valid)
        throw new CliError('CERTIFICATE_NOT_TRUSTED', `${verdict.reason ?? 'UNTRUSTED'}: ${verdict.detail ?? ''}`);
    }),
  );
}
