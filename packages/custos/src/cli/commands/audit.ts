// `custos audit`: the hash-chained audit log, oldest first (--last n: the newest n); --follow polls for new records
// until Ctrl-C; `custos audit verify` checks the chain and the signed checkpoints.
// Must not import the store, service or api.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditRecord, Kms } from '@custos/contract';
import { type Command, Option } from 'commander';
import { addGlobalOptions, integer, withKms } from '../options.js';
import { CliError } from '../errors.js';
import { describeReceipts, invalidReceipts, readReceiptArgs, verifyWithReceipts } from './audit-receipts.js';
import { cell, printJson, printTable, toJson } from '../output.js';
import {
  addVerifyFileOptions,
  isoDate,
  registerAuditExport,
  verifyExportAction,
  type VerifyFileOptions,
} from './audit-export.js';
import { serves } from '../serves.js';

interface AuditOptions {
  key?: string;
  limit?: number;
  after?: number;
  last?: number;
  follow?: boolean;
  interval: number;
}

const COLUMNS: readonly { header: string; value: (r: AuditRecord) => unknown }[] = [
  { header: 'SEQ', value: (r) => r.seq },
  { header: 'TIME', value: (r) => r.time },
  { header: 'PRINCIPAL', value: (r) => r.principal },
  { header: 'OPERATION', value: (r) => r.operation },
  { header: 'KEY', value: (r) => r.keyId },
  { header: 'VERSION', value: (r) => r.keyVersion },
  { header: 'OUTCOME', value: (r) => r.outcome },
  { header: 'ERROR', value: (r) => r.errorCode },
  { header: 'REQUEST', value: (r) => r.requestId },
];

/** A --follow session: its cursor once the first poll (audited) has started the follow. */
interface FollowState {
  cursor?: string;
}

/**
 * Pages through records after `after`, up to `limit` in all (every record if no limit). With `follow`, the pages
 * start (then carry) a follow cursor, so that the server audits the follow once, not every poll.
 */
async function fetchRecords(
  kms: Kms,
  o: AuditOptions,
  after: number,
  limit: number | undefined,
  follow?: FollowState,
): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  let cursor: number | undefined = after;
  while (cursor !== undefined && (limit === undefined || out.length < limit)) {
    const want = limit === undefined ? 1000 : Math.min(1000, limit - out.length);
    const page = await kms.listAuditRecords({
      after: cursor,
      limit: want,
      ...(o.key && { keyId: o.key }),
      ...(follow && (follow.cursor === undefined ? { follow: true } : { followCursor: follow.cursor })),
    });
    if (follow && page.followCursor !== undefined) follow.cursor = page.followCursor;
    out.push(...page.records);
    cursor = page.records.length === 0 ? undefined : page.nextAfter;
  }
  return out;
}

export function registerAudit(program: Command): void {
  const cmd = serves(program.command('audit'), 'listAuditRecords')
    .description('list audit records, oldest first (--follow: keep printing new ones until Ctrl-C)')
    .option('--key <key>', 'only the records of this key')
    .addOption(
      new Option('--limit <n>', 'at most n records (before following)').argParser(integer('--limit', 1, 1_000_000)),
    )
    .addOption(
      new Option('--after <seq>', 'only records after this sequence number').argParser(
        integer('--after', 0, Number.MAX_SAFE_INTEGER),
      ),
    )
    .addOption(
      new Option('--last <n>', 'only the newest n records')
        .argParser(integer('--last', 1, 1000))
        .conflicts(['limit', 'after']),
    )
    .option('--follow', 'poll for new records every second until interrupted')
    .addOption(
      new Option('--interval <ms>', 'poll interval for --follow')
        .argParser(integer('--interval', 100, 3_600_000))
        .default(1000)
        .hideHelp(),
    );
  addGlobalOptions(cmd).action((o: AuditOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const first =
        o.last === undefined
          ? await fetchRecords(kms, o, o.after ?? 0, o.limit)
          : (await kms.listAuditRecords({ last: o.last, ...(o.key && { keyId: o.key }) })).records;
      if (!o.follow) {
        if (g.json) printJson({ records: first });
        else printTable(first, COLUMNS);
        return;
      }
      // Following: one line per record (NDJSON with --json), since later rows cannot be aligned in advance.
      const print = (r: AuditRecord) =>
        process.stdout.write(g.json ? `${toJson(r, 0)}\n` : `${COLUMNS.map((col) => cell(col.value(r))).join('  ')}\n`);
      first.forEach(print);
      let after = first.at(-1)?.seq ?? o.after ?? 0;
      const stop = new AbortController();
      const onSigint = () => {
        stop.abort();
      };
      process.once('SIGINT', onSigint);
      const state: FollowState = {};
      try {
        // Until Ctrl-C: the abort ends the sleep early, and the loop on the check after it.
        for (;;) {
          await sleep(o.interval, undefined, { signal: stop.signal }).catch(() => undefined);
          if (stop.signal.aborted) break;
          const records = await fetchRecords(kms, o, after, undefined, state);
          records.forEach(print);
          after = records.at(-1)?.seq ?? after;
        }
      } finally {
        process.off('SIGINT', onSigint);
      }
    }),
  );
  addVerifyFileOptions(
    addGlobalOptions(
      serves(cmd.command('verify'), 'verifyAuditChain')
        .description('check the audit chain and the signed checkpoints: exit 0 if intact, 1 if not')
        .option(
          '--receipt <receipt>',
          'also check an audit receipt (x-custos-receipt), or @file of receipts one a line; repeatable',
          (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
        ),
    ),
  ).action((o: VerifyFileOptions & { receipt?: string[] }, c: Command) =>
    o.file !== undefined
      ? verifyExportAction({ ...o, file: o.file }, c)
      : withKms(c, async (kms, g) => {
          const receipts = await readReceiptArgs(o.receipt ?? []);
          const result = receipts.length > 0 ? await verifyWithReceipts(kms, receipts) : await kms.verifyAuditChain();
          if (g.json) printJson(result);
          else if (result.receipts) process.stdout.write(describeReceipts(receipts, result.receipts));
          if (!result.ok && result.staleRows !== undefined) {
            const rows = result.staleRows.map((r) => `${r.table} ${r.row} (older than record ${String(r.seq)})`);
            throw new CliError(
              'AUDIT_STALE_ROWS',
              `the audit log is intact, but these rows are older than their last audited change (put back?): ${rows.join('; ')}`,
            );
          }
          if (!result.ok)
            throw new CliError('AUDIT_CHAIN_BROKEN', `the audit log is broken at record ${String(result.brokenAt)}`);
          const invalid = invalidReceipts(result.receipts ?? []);
          if (invalid) throw invalid;
          if (!g.json) process.stdout.write(`audit log intact: ${String(result.count)} records\n`);
        }),
  );
  addGlobalOptions(
    serves(cmd.command('prune'), 'pruneAuditRecords')
      .description('delete the records older than a date that a signed checkpoint covers (the chain stays verifiable)')
      .addOption(new Option('--before <date>', 'an ISO 8601 date or time').argParser(isoDate).makeOptionMandatory()),
  ).action((o: { before: Date }, c: Command) =>
    withKms(c, async (kms, g) => {
      const result = await kms.pruneAuditRecords({ before: o.before });
      if (g.json) printJson(result);
      else
        process.stdout.write(
          result.keptFrom === undefined
            ? 'nothing to prune: no checkpoint is older than that date\n'
            : `pruned ${String(result.pruned)} records; the log now starts at record ${String(result.keptFrom)}\n`,
        );
    }),
  );
  registerAuditExport(cmd);
}
