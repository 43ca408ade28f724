// `custos audit export` (the log as JSON lines with its signed checkpoints, paged from the server into a file),
// `custos audit public-key` (the checkpoint key to pin), and the offline `custos audit verify --file`.
// Must not import the store, service or api statically: the offline verifier is loaded dynamically, as `custos
// server` loads the api, so that the commands that talk to a server do not load it.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kms } from '@custos/contract';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError, UsageError } from '../errors.js';
import { openOutput, writeAll } from '../io.js';
import { addGlobalOptions, globalOptions, withKms } from '../options.js';
import { printJson } from '../output.js';
import { serves } from '../serves.js';

/** The export file's first line names its layout (service/audit/offline-verify.ts reads it; never edited). */
const EXPORT_FORMAT = 'custos-audit-export/v1';

/** `--before`: an ISO 8601 date or date-time. */
export function isoDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime()))
    throw new InvalidArgumentError(`expects an ISO 8601 date such as 2026-01-31, got '${value}'`);
  return date;
}

/** What an export wrote. */
export interface ExportSummary {
  records: number;
  checkpoints: number;
  first?: number | undefined;
  through?: number;
}

/**
 * The export as lines: a header, then per page its checkpoints and its records, one JSON object each. Pages are
 * fetched as the file is written, so neither side holds the log.
 */
export async function* exportLines(kms: Kms, before: Date, summary: ExportSummary): AsyncGenerator<Buffer> {
  let after: number | undefined;
  let through: number | undefined;
  for (;;) {
    const page = await kms.exportAuditRecords({
      before,
      ...(after !== undefined && { after }),
      ...(through !== undefined && { through }),
    });
    if (after === undefined) {
      if (page.through === undefined || page.records.length === 0) return;
      through = page.through;
      summary.through = through;
      summary.first = page.records[0]?.seq;
      const header = { type: 'export', format: EXPORT_FORMAT, before: before.toISOString(), through };
      yield Buffer.from(`${JSON.stringify({ ...header, exportedAt: new Date().toISOString() })}\n`);
    }
    const text = [
      ...page.checkpoints.map((c) => JSON.stringify({ type: 'checkpoint', ...c })),
      ...page.records.map((r) => JSON.stringify({ type: 'record', ...r })),
    ];
    summary.records += page.records.length;
    summary.checkpoints += page.checkpoints.length;
    yield Buffer.from(`${text.join('\n')}\n`);
    if (page.nextAfter === undefined) return;
    after = page.nextAfter;
  }
}

/** Offline: what `custos audit verify --file` takes. */
export interface VerifyFileOptions {
  file?: string;
  publicKey?: string;
  rootKeyFile?: string;
  passphraseFile?: string;
}

/** The options of `custos audit verify` for an export file (kept apart from the server-side verify's). */
export function addVerifyFileOptions(cmd: Command): Command {
  return cmd
    .option('--file <export.jsonl>', 'verify an export file offline (no server) instead of the server log')
    .option('--public-key <file>', 'with --file: the pinned checkpoint public key (PEM or JWK, from audit public-key)')
    .option('--root-key-file <file>', 'with --file: also recompute the keyed chain with this root key (operator only)')
    .option('--passphrase-file <file>', 'with --root-key-file or --data-dir: the passphrase of a sealed root key');
}

function readPublicKey(path: string): KeyObject {
  const text = readFileSync(path, 'utf8');
  try {
    return text.trimStart().startsWith('{')
      ? createPublicKey({ key: JSON.parse(text) as import('node:crypto').JsonWebKey, format: 'jwk' })
      : createPublicKey(text);
  } catch (error) {
    throw new UsageError(`--public-key: '${path}' is not a PEM or JWK public key`, { cause: error });
  }
}

/** `custos audit verify --file F --public-key K [--data-dir D | --root-key-file R]`: no server involved. */
export async function verifyExportAction(o: VerifyFileOptions & { file: string }, c: Command): Promise<void> {
  if (o.publicKey === undefined) throw new UsageError('--file needs --public-key <file> (custos audit public-key)');
  const publicKey = readPublicKey(o.publicKey);
  const g = globalOptions(c);
  const rootKeyFile = o.rootKeyFile ?? (g.dataDir === undefined ? undefined : join(g.dataDir, 'root.key'));
  const { verifyExportFile, chainKeyFromRootKeyFile } = await import('../../service/audit/offline-verify.js');
  const chainKey =
    rootKeyFile === undefined
      ? null
      : await chainKeyFromRootKeyFile({
          path: rootKeyFile,
          ...(o.passphraseFile !== undefined && { passphrase: readPassphrase(o.passphraseFile) }),
        });
  const result = await verifyExportFile(o.file, publicKey, chainKey);
  chainKey?.fill(0);
  if (g.json) printJson(result);
  if (!result.ok)
    throw new CliError(
      'AUDIT_CHAIN_BROKEN',
      `${o.file} line ${String(result.line)} (level ${result.level}): ${result.reason}`,
    );
  if (g.json) return;
  const what =
    result.level === 'chain'
      ? 'level chain: every record recomputed under the audit-chain key, links, sequence and signed checkpoints'
      : 'level signatures: checkpoint signatures, sequence, links and checkpointed hashes; record contents between ' +
        'checkpoints are not authenticated without the root key (--data-dir or --root-key-file)';
  process.stdout.write(
    `audit export verified (${what}): ${String(result.records)} records, ${String(result.first)}..${String(result.last)}, ` +
      `${String(result.checkpoints)} signed checkpoints\n`,
  );
}

function readPassphrase(path: string): string {
  const text = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  if (text.length === 0) throw new UsageError(`passphrase file '${path}' is empty`);
  return text;
}

/** Adds `export` and `public-key` under `custos audit`. */
export function registerAuditExport(audit: Command): void {
  addGlobalOptions(
    serves(audit.command('export'), 'exportAuditRecords')
      .description(
        'write the records older than a date, up to the anchor a prune with that date keeps, as JSON lines with ' +
          'their signed checkpoints (verify with: custos audit verify --file)',
      )
      .addOption(new Option('--before <date>', 'an ISO 8601 date or time').argParser(isoDate).makeOptionMandatory())
      .option('--out <file>', 'the export file (default: stdout)'),
  ).action((o: { before: Date; out?: string }, c: Command) =>
    withKms(c, async (kms, g) => {
      const summary: ExportSummary = { records: 0, checkpoints: 0 };
      const output = openOutput(o.out, 0o600);
      await writeAll(output, exportLines(kms, o.before, summary));
      const report = (text: string) => (o.out === undefined ? process.stderr : process.stdout).write(text);
      if (g.json && o.out !== undefined) printJson(summary);
      else if (summary.through === undefined) report('nothing to export: no checkpoint is older than that date\n');
      else
        report(
          `exported ${String(summary.records)} records (${String(summary.first)}..${String(summary.through)}) and ` +
            `${String(summary.checkpoints)} signed checkpoints\n`,
        );
    }),
  );
  addGlobalOptions(
    serves(audit.command('public-key'), 'getAuditPublicKey')
      .description('print (or --out: write) the public key that signs the audit checkpoints, to pin for verify --file')
      .option('--out <file>', 'write the SPKI PEM to this file'),
  ).action((o: { out?: string }, c: Command) =>
    withKms(c, async (kms, g) => {
      const key = await kms.getAuditPublicKey();
      if (o.out !== undefined) writeFileSync(o.out, key.publicKey, { mode: 0o644 });
      if (g.json) printJson(key);
      else if (o.out === undefined) process.stdout.write(key.publicKey);
      else process.stdout.write(`wrote ${o.out} (SHA-256 of the key: ${key.fingerprint})\n`);
    }),
  );
}
