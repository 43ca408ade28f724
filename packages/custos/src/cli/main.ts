#!/usr/bin/env node
// The `custos` command: builds the commander program from commands/*, runs it, turns failures into one line and an exit code.
// Must not import the store or service; the api only inside `custos server`, dynamically (other commands load fast).
import { readFileSync } from 'node:fs';
import { type Command, CommanderError } from 'commander';
import { CustosCommand } from './custos-command.js';
import { registerAccessKey } from './commands/access-key.js';
import { registerAttestation } from './commands/attestation.js';
import { registerAudit } from './commands/audit.js';
import { registerBatch } from './commands/batch.js';
import { registerDataKey } from './commands/data-key.js';
import { registerDecrypt } from './commands/decrypt.js';
import { registerEncrypt } from './commands/encrypt.js';
import { registerJose } from './commands/jose.js';
import { registerKey } from './commands/key.js';
import { registerKeyring } from './commands/keyring.js';
import { registerOperator } from './commands/operator.js';
import { registerRootCommands } from './commands/operator-root.js';
import { registerKeyStore } from './commands/key-store.js';
import { registerPublicKey } from './commands/public-key.js';
import { registerRandom } from './commands/random.js';
import { registerServer } from './commands/server.js';
import { registerSign } from './commands/sign.js';
import { registerToken } from './commands/token.js';
import { registerWhoAmI } from './commands/whoami.js';
import { registerTrust } from './commands/trust.js';
import { registerDataKeyPair } from './commands/data-key-pair.js';
import { registerDerive } from './commands/derive.js';
import { registerDev } from './commands/dev.js';
import { registerKem } from './commands/kem.js';
import { registerJoseKeys } from './commands/jose-keys.js';
import { registerMac } from './commands/mac.js';
import { registerReEncrypt } from './commands/re-encrypt.js';
import { EXIT_USAGE, reportError } from './errors.js';
import { addGlobalOptions } from './options.js';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/** The program; settings given here (exit override, output) are inherited by every subcommand made with `.command()`. */
export function buildProgram(): Command {
  const program = new CustosCommand('custos')
    .description('Custos: a self-hosted Key Management Service (server and client)')
    .version(version(), '-V, --version')
    .enablePositionalOptions() // options before the command belong to `custos`, after it to the command
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: () => undefined }); // printed by run() as one `custos: USAGE: ...` line
  addGlobalOptions(program);
  program.addHelpText(
    'after',
    `
Connection: --endpoint / CUSTOS_ENDPOINT (default http://127.0.0.1:7300); --token / CUSTOS_TOKEN,
else <data-dir>/admin.token (--data-dir / CUSTOS_DATA_DIR, default ./data).
Errors print one line "custos: <CODE>: <message>" on stderr; exit 2 for usage, 1 for other failures
(CUSTOS_DEBUG=1 adds the stack).`,
  );
  registerServer(program);
  registerKey(program);
  registerEncrypt(program);
  registerDecrypt(program);
  registerSign(program);
  registerDataKey(program);
  registerPublicKey(program);
  registerRandom(program);
  registerToken(program);
  registerWhoAmI(program);
  registerAccessKey(program);
  registerKeyStore(program);
  registerAudit(program);
  registerRootCommands(registerOperator(program));
  registerTrust(program);
  registerJose(program);
  registerAttestation(program);
  // Every operation from the CLI (issue 18)
  registerReEncrypt(program);
  registerDataKeyPair(program);
  registerMac(program);
  registerDerive(program);
  registerKem(program);
  registerJoseKeys(program);
  registerKeyring(program);
  registerBatch(program);
  registerDev(program);
  return program;
}

/** Runs the CLI on `argv` and returns the exit status (0 also after --help and --version). */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      // 'commander.help' with a non-zero code: a group called without a subcommand; its help is already on stderr.
      if (err.code !== 'commander.help' && err.code !== 'commander.executeSubCommandAsync') {
        process.stderr.write(
          `custos: USAGE: ${err.message
            .replace(/^error:\s*/, '')
            .replace(/\s*\n\s*/g, ' ')
            .trim()}\n`,
        );
      }
      return EXIT_USAGE;
    }
    return reportError(err);
  }
}

// Exit by setting the code and letting stdout drain; long-running commands (server, audit --follow)
// resolve only when they are done.
// A closed output pipe (`custos key list --json | head -0`) ends the command quietly: nobody reads what is left.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
process.exitCode = await run(process.argv.slice(2));
