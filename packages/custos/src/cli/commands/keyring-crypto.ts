// `custos keyring encrypt|decrypt`: MOSIP 1.2's hybrid format as MOSIP's API carries it (base64url with `=` padding).
// encrypt reads the plaintext from stdin/--in and prints the text; decrypt reads the text (base64url or base64) and
// writes the plaintext bytes. Must not import the store, service, core or api.
import type { Command } from 'commander';
import { serves } from '../serves.js';
import { CliError, UsageError } from '../errors.js';
import { guardBinaryOutput, openInput, openOutput, readAllBounded, writeAll } from '../io.js';
import { addGlobalOptions, withKms } from '../options.js';
import { keyringOf, keyringOptions } from './keyring-options.js';

/** keyringEncrypt's plaintext limit (1 MiB); the text of its ciphertext is a third larger. */
const MAX_PLAINTEXT = 1024 * 1024;
const MAX_TEXT = 2 * MAX_PLAINTEXT;

/** Java's Base64.getUrlEncoder(): base64url WITH padding. */
const urlBase64 = (bytes: Uint8Array): string => {
  const text = Buffer.from(bytes).toString('base64url');
  return text + '='.repeat((4 - (text.length % 4)) % 4);
};

/** base64url or standard base64, padded or not; anything else is refused (Node's decoder would skip it). */
function decodeBase64(text: string, what: string): Uint8Array {
  const t = text.trim();
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(t) && !/^[A-Za-z0-9+/]*={0,2}$/.test(t))
    throw new CliError('INVALID_CIPHERTEXT', `${what} is not base64url or base64`);
  return new Uint8Array(Buffer.from(t, 'base64'));
}

interface CryptoOptions {
  app: string;
  ref?: string;
  in?: string;
  out?: string;
  aad?: string;
  salt?: string;
  force?: boolean;
}

const extras = (o: CryptoOptions): { aad?: Uint8Array; salt?: Uint8Array } => ({
  ...(o.aad !== undefined && { aad: decodeBase64(o.aad, '--aad') }),
  ...(o.salt !== undefined && { salt: decodeBase64(o.salt, '--salt') }),
});

function cryptoOptions(cmd: Command): Command {
  return keyringOptions(cmd)
    .option('--in <file>', 'input file (default stdin)')
    .option('--out <file>', 'output file (default stdout)')
    .option('--aad <base64>', 'GCM additional data (decrypt needs it again)')
    .option('--salt <base64>', 'GCM IV, 12 to 64 bytes, not stored (decrypt needs it again)');
}

export function registerKeyringCrypto(keyring: Command): void {
  const encrypt = cryptoOptions(serves(keyring.command('encrypt'), 'keyringEncrypt')).description(
    "encrypt stdin (or --in) for a keyring's current key or partner certificate, in MOSIP's format (base64url text)",
  );
  addGlobalOptions(encrypt).action((o: CryptoOptions, cmd: Command) =>
    withKms(cmd, async (kms) => {
      const data = await readAllBounded(openInput(o.in).stream, MAX_PLAINTEXT, 'the input');
      if (data.length === 0) throw new UsageError('the input is empty: MOSIP encrypts at least one byte');
      const { ciphertext } = await kms.keyringEncrypt({ ...keyringOf(o), data, ...extras(o) });
      await writeAll(openOutput(o.out), [Buffer.from(`${urlBase64(ciphertext)}\n`)]);
    }),
  );

  const decrypt = cryptoOptions(serves(keyring.command('decrypt'), 'keyringDecrypt'))
    .description("decrypt MOSIP's format (base64url or base64 text on stdin or --in) with the keyring's keys")
    .option('--force', 'write binary plaintext even to a terminal');
  addGlobalOptions(decrypt).action((o: CryptoOptions, cmd: Command) =>
    withKms(cmd, async (kms) => {
      guardBinaryOutput(o.out, o.force, 'the plaintext');
      const text = (await readAllBounded(openInput(o.in).stream, MAX_TEXT, 'the input')).toString('utf8');
      const ciphertext = decodeBase64(text, 'the input');
      if (ciphertext.length === 0) throw new UsageError('the input is empty');
      const { plaintext } = await kms.keyringDecrypt({ ...keyringOf(o), ciphertext, ...extras(o) });
      await writeAll(openOutput(o.out), [plaintext]);
    }),
  );
}
