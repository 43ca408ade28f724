// How the CLI reports failure: one line `custos: <CODE>: <message>` on stderr, exit 2 for usage, 1 otherwise.
// Must not import the store, service or api; knows errors only by `code` (STYLE §4), never by message text.
import { isKmsError } from '@custos/contract';

/** Exit status of a command line the CLI cannot run (unknown option, bad value, missing input). */
export const EXIT_USAGE = 2;
/** Exit status of a failure reported by the service, the network or the file system. */
const EXIT_FAILURE = 1;

/**
 * A mistake in the command line; printed as `custos: USAGE: <message>`, exit 2.
 *
 * @example
 * throw new UsageError("--context expects key=value, got 'tenant'");
 */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** A failure of the CLI itself with a code of its own (e.g. UNAVAILABLE when the server cannot be reached). */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Node's network error codes that mean "no server there". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function systemCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Turns any thrown value into the code and one-line message the CLI prints. */
function describeError(err: unknown): { code: string; message: string; exitCode: number } {
  if (err instanceof UsageError) return { code: err.code, message: err.message, exitCode: EXIT_USAGE };
  if (isKmsError(err)) return { code: err.code, message: err.message, exitCode: EXIT_FAILURE };
  if (err instanceof CliError) return { code: err.code, message: err.message, exitCode: EXIT_FAILURE };
  // fetch wraps socket errors: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
  const cause = (err as { cause?: unknown } | null)?.cause;
  const netCode = systemCode(cause) ?? systemCode(err);
  if (netCode && UNREACHABLE.has(netCode))
    return { code: 'UNAVAILABLE', message: `cannot reach the server (${netCode})`, exitCode: EXIT_FAILURE };
  if (netCode?.startsWith('E') && err instanceof Error)
    return { code: 'IO_ERROR', message: err.message, exitCode: EXIT_FAILURE };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'ERROR', message, exitCode: EXIT_FAILURE };
}

/** The one line printed for an error (no newline inside: a multi-line message is joined). */
function formatError(err: unknown): string {
  const { code, message } = describeError(err);
  return `custos: ${code}: ${message.replace(/\s*\n\s*/g, ' ').trim()}`;
}

/** Prints the error line (plus the stack when CUSTOS_DEBUG=1) and returns the exit status. */
export function reportError(err: unknown): number {
  // The output pipe closed under a write (`| head`): nobody reads what is left, nothing to report.
  if (systemCode(err) === 'EPIPE' || systemCode((err as { cause?: unknown } | null)?.cause) === 'EPIPE') return 0;
  process.stderr.write(`${formatError(err)}\n`);
  if (process.env.CUSTOS_DEBUG === '1' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return describeError(err).exitCode;
}
