// `custos batch`: Batch — a JSON file (or stdin) of up to 1,000 items in the wire form of POST /v1/batch (bytes as
// base64), run in one request; the results as JSON on stdout, in order. Must not import the store, service or api.
import type { Command } from 'commander';
import { BatchRequest, fromWire, type BatchResult } from '@custos/contract';
import { CliError, UsageError } from '../errors.js';
import { openInput, readAllBounded } from '../io.js';
import { addGlobalOptions, withKms } from '../options.js';
import { printJson } from '../output.js';
import { serves } from '../serves.js';

/** A batch file holds at most this much JSON (1,000 items of 4 KiB plaintext, base64, with room for the rest). */
const MAX_INPUT = 16 * 1024 * 1024;

interface BatchOptions {
  in?: string;
  strict?: boolean;
}

export function registerBatch(program: Command): void {
  const cmd = serves(program.command('batch'), 'batch')
    .description(
      'run up to 1000 encrypt/decrypt/re-encrypt/data-key/sign/verify/MAC calls in one request: ' +
        '{"items":[{"encrypt":{"keyId":"alias/a","plaintext":"<base64>"}}, ...]} (or the bare array) from --in or ' +
        'stdin; prints {"results":[...]} in order, a failed item as {"error":{"operation","code","message"}}',
    )
    .option('--in <file>', 'the batch as JSON (default stdin)')
    .option('--strict', 'exit 1 (after printing the results) when any item failed');
  addGlobalOptions(cmd).action(async (o: BatchOptions, c: Command) => {
    const text = (await readAllBounded(openInput(o.in).stream, MAX_INPUT, 'the batch')).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`the batch is not JSON: ${(error as Error).message}`);
    }
    const body = Array.isArray(parsed) ? { items: parsed } : parsed;
    const request = fromWire(BatchRequest, body) as BatchRequest;
    await withKms(c, async (kms) => {
      const { results } = await kms.batch(request);
      printJson({ results });
      const failed = results.filter((result: BatchResult) => result.error).length;
      if (o.strict && failed > 0)
        throw new CliError('BATCH_ITEMS_FAILED', `${failed} of ${results.length} batch items failed`);
    });
  });
}
