// `custos audit verify --receipt <r>`: audit receipts (the `x-custos-receipt` header of every successful call) checked
// against the log by VerifyAuditChain, a few per call; a receipt whose record is gone proves the log was truncated.
// Must not import the store, service or api.
import { readFile } from 'node:fs/promises';
import { MAX_RECEIPTS_PER_VERIFY, type Kms, type ReceiptCheck, type VerifyAuditChainResponse } from '@custos/contract';
import { CliError } from '../errors.js';

/** `--receipt` values: a receipt, or `@file` for a file of receipts (one a line; blank lines and `#` lines skipped). */
export async function readReceiptArgs(values: readonly string[]): Promise<string[]> {
  const receipts: string[] = [];
  for (const value of values) {
    if (!value.startsWith('@')) {
      receipts.push(value.trim());
      continue;
    }
    let text: string;
    try {
      text = await readFile(value.slice(1), 'utf8');
    } catch (error) {
      throw new CliError('VALIDATION_ERROR', `cannot read the receipts file ${value.slice(1)}: ${String(error)}`);
    }
    for (const line of text.split('\n')) {
      const receipt = line.trim();
      if (receipt !== '' && !receipt.startsWith('#')) receipts.push(receipt);
    }
  }
  return receipts;
}

/**
 * VerifyAuditChain with the receipts, MAX_RECEIPTS_PER_VERIFY a call (they travel in a query string): the first
 * broken result, or the last, with every receipt's result in order.
 */
export async function verifyWithReceipts(kms: Kms, receipts: readonly string[]): Promise<VerifyAuditChainResponse> {
  let result: VerifyAuditChainResponse | undefined;
  const checks: ReceiptCheck[] = [];
  for (let i = 0; i < receipts.length; i += MAX_RECEIPTS_PER_VERIFY) {
    const part = await kms.verifyAuditChain({ receipts: receipts.slice(i, i + MAX_RECEIPTS_PER_VERIFY) });
    checks.push(...(part.receipts ?? []));
    if (result === undefined || (result.ok && !part.ok)) result = part;
  }
  if (!result) return kms.verifyAuditChain({});
  return { ...result, receipts: checks };
}

const MEANING: Record<ReceiptCheck['status'], string> = {
  valid: 'its record is in the log',
  invalid: 'not a receipt of this server (malformed or altered): refused',
  missing: 'its record is missing: the log was truncated or records deleted',
  mismatch: 'the record at its seq says something else: the log was rewritten',
  pruned: 'its record was removed by a recorded prune',
};

/** One line per receipt, for people. */
export function describeReceipts(receipts: readonly string[], checks: readonly ReceiptCheck[]): string {
  return checks
    .map((c, i) => {
      const what =
        c.seq === undefined
          ? `receipt ${String(i + 1)}`
          : `record ${String(c.seq)} (${c.operation ?? '?'}, request ${c.requestId ?? '?'})`;
      return `${c.status.padEnd(8)} ${what}: ${MEANING[c.status]}${c.status === 'invalid' ? ` [${(receipts[i] ?? '').slice(0, 24)}…]` : ''}\n`;
    })
    .join('');
}

/** The CLI error for invalid receipts (exit non-zero), or undefined. */
export function invalidReceipts(checks: readonly ReceiptCheck[]): CliError | undefined {
  const invalid = checks.filter((c) => c.status === 'invalid').length;
  if (invalid === 0) return undefined;
  return new CliError(
    'AUDIT_RECEIPT_INVALID',
    `${String(invalid)} receipt(s) were not issued by this server (altered or malformed)`,
  );
}
