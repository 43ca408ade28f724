// The CLI in-process, for tests: buildProgram().parseAsync with stdout captured, so the commands' branches count in
// coverage and their stack traces reach the test (the built-CLI tests run the same commands as subprocesses).
import { buildProgram } from '../../src/cli/main.js';

/** Runs `custos <args>`; resolves to what it printed on stdout, rejects with its error. */
export async function runCustos(args: readonly string[]): Promise<string> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  try {
    await buildProgram().parseAsync([...args], { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  return out.join('');
}

/** `runCustos` against a running server, with its admin token (read when called: the server may start later). */
export function custosAgainst(server: () => { url: string; adminToken?: string }) {
  return (...args: string[]): Promise<string> => {
    const { url, adminToken } = server();
    return runCustos([...args, '--endpoint', url, '--token', adminToken!]);
  };
}
