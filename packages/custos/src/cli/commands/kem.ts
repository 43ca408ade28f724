// `custos encapsulate` and `custos decapsulate` (ML-KEM with an ENCAPSULATE_DECAPSULATE key; AWS Encapsulate and
// Decapsulate). Must not import the store, service or api. Secrets are written raw to --out or a pipe, or as base64
// with --json.
import type { Command } from 'commander';
import { type BytesOut, readInput, writeResult } from '../bytes.js';
import { UsageError } from '../errors.js';
import { openOutput, writeAll } from '../io.js';
import { addGlobalOptions, withKms } from '../options.js';
import { serves } from '../serves.js';

/** The longest ML-KEM ciphertext (ML-KEM-1024, FIPS 203 Table 3), with room for a wrong one the service refuses. */
const MAX_CIPHERTEXT_BYTES = 8192;

export function registerKem(program: Command): void {
  const encapsulate = serves(program.command('encapsulate'), 'encapsulate')
    .description(
      'ML-KEM: a fresh shared secret to stdout (or --out) and its ciphertext to --ciphertext-out (both with --json)',
    )
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of an ML_KEM_* key (ENCAPSULATE_DECAPSULATE)')
    .option('--ciphertext-out <file>', 'write the ciphertext (sharedSecretCiphertextBlob) to a file')
    .option('--out <file>', 'write the secret to a file, created mode 0600 (default stdout)')
    .option('--force', 'write the raw secret even to a terminal');
  addGlobalOptions(encapsulate).action((o: BytesOut & { key: string; ciphertextOut?: string }, c: Command) =>
    withKms(c, async (kms, g) => {
      if (!g.json && o.ciphertextOut === undefined)
        throw new UsageError('--ciphertext-out is required (or --json, which prints both)');
      const r = await kms.encapsulate({ keyId: o.key, encapsulationAlgorithm: 'ML_KEM' });
      try {
        if (o.ciphertextOut !== undefined) await writeAll(openOutput(o.ciphertextOut), [r.sharedSecretCiphertextBlob]);
        await writeResult(g.json, o, r, r.sharedSecret, 'a raw shared secret', 0o600);
      } finally {
        r.sharedSecret.fill(0);
      }
    }),
  );

  const decapsulate = serves(program.command('decapsulate'), 'decapsulate')
    .description('ML-KEM: the shared secret of a ciphertext read from stdin (or --in), to stdout (or --out)')
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of an ML_KEM_* key (ENCAPSULATE_DECAPSULATE)')
    .option('--in <file>', 'read the ciphertext from a file (default stdin)')
    .option('--out <file>', 'write the secret to a file, created mode 0600 (default stdout)')
    .option('--force', 'write the raw secret even to a terminal');
  addGlobalOptions(decapsulate).action((o: BytesOut & { key: string; in?: string }, c: Command) =>
    withKms(c, async (kms, g) => {
      const ciphertext = await readInput(o.in, MAX_CIPHERTEXT_BYTES, 'the ciphertext');
      const r = await kms.decapsulate({
        keyId: o.key,
        sharedSecretCiphertextBlob: ciphertext,
        encapsulationAlgorithm: 'ML_KEM',
      });
      try {
        await writeResult(g.json, o, r, r.sharedSecret, 'a raw shared secret', 0o600);
      } finally {
        r.sharedSecret.fill(0);
      }
    }),
  );
}
