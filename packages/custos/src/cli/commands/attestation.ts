// `custos key attest`, `custos attestation roots|verify` and `custos operator attestation csr|set-chain`: key
// attestation. `verify` runs here with no server (what a relying party does); the others call the server. Must not
// import the store, service, core or api statically: verify loads core's verifier dynamically.
import type { Command } from 'commander';
import { CliError, UsageError } from '../errors.js';
import { addGlobalOptions, globalOptions, withKms } from '../options.js';
import { printJson, printResult } from '../output.js';
import { readPemBlocks, readText, writePem } from './pem-files.js';
import { serves } from '../serves.js';

/** A challenge as hex on the command line: 16..128 bytes (the server checks the length again). */
function challengeBytes(hex: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError('--challenge must be hex (an even number of digits)');
  return Buffer.from(hex, 'hex');
}

function registerKeyAttest(key: Command): void {
  const attest = serves(key.command('attest'), 'attestKey')
    .description('attest a key: an X.509 chain of its public key (key pairs) or a JWS (secret keys), leaf first')
    .requiredOption('--key <id|alias>', 'key id, ARN or alias')
    .requiredOption('--challenge <hex>', "the verifier's challenge, 16..128 bytes as hex")
    .option('--out <file>', 'write the PEM chain (or the JWS) to a file (default stdout)');
  addGlobalOptions(attest).action((o: { key: string; challenge: string; out?: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.attestKey({ keyId: o.key, challenge: challengeBytes(o.challenge) });
      if (g.json) printJson(result);
      else if (result.jws !== undefined) await writePem(o.out, [result.jws]);
      else await writePem(o.out, result.certificateChain);
    }),
  );
}

function registerAttestationCommands(program: Command): void {
  const attestation = program
    .command('attestation')
    .description("key attestation: this server's trust anchors, and verifying an attestation");

  const roots = serves(attestation.command('roots'), 'getAttestationRoots')
    .description('the attestation trust anchors a verifier pins (PEM)')
    .option('--out <file>', 'write the PEM to a file (default stdout)');
  addGlobalOptions(roots).action((o: { out?: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.getAttestationRoots({});
      if (g.json) printJson(result);
      else await writePem(o.out, result.certificates);
    }),
  );

  const verify = attestation
    .command('verify')
    .description('verify an attestation (PEM chain or JWS) to pinned roots and a challenge; print its properties')
    .requiredOption('--chain <file>', 'the attestation: a PEM chain, leaf first, or a JWS')
    .requiredOption('--roots <file>', 'the pinned trust anchors (PEM)')
    .requiredOption('--challenge <hex>', 'the challenge the attestation must answer');
  addGlobalOptions(verify).action(async (o: { chain: string; roots: string; challenge: string }, cmd: Command) => {
    const challenge = challengeBytes(o.challenge).toString('hex');
    const { verifyAttestation } = await import('../../core/attestation/verify.js');
    const verdict = await verifyAttestation(
      readText(o.chain, '--chain'),
      readPemBlocks(o.roots, '--roots').join(''),
      challenge,
      new Date(),
    );
    if (!verdict.valid) throw new CliError('ATTESTATION_INVALID', verdict.reason);
    printResult(globalOptions(cmd).json, verdict, (v) => {
      const lines = Object.entries(v.properties).map(
        ([name, value]) => `${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
      );
      process.stdout.write(`attestation verified (${v.format})\n${lines.join('\n')}\n`);
    });
  });
}

function registerOperatorAttestation(operator: Command): void {
  const attestation = operator
    .command('attestation')
    .description("the attestation identity's certificate chain (admin): a CSR for your CA, then set-chain");

  const csr = serves(attestation.command('csr'), 'createAttestationCsr')
    .description('a PKCS#10 request for the attestation key, for your CA to issue a CA certificate')
    .option('--subject <dn>', 'subject name (default "CN=Custos attestation")')
    .option('--out <file>', 'write the PEM to a file (default stdout)');
  addGlobalOptions(csr).action((o: { subject?: string; out?: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.createAttestationCsr(o.subject === undefined ? {} : { subject: o.subject });
      if (g.json) printJson(result);
      else await writePem(o.out, [result.csr]);
    }),
  );

  const setChain = serves(attestation.command('set-chain'), 'setAttestationChain')
    .description("replace the identity's chain (leaf = the attestation key's CA certificate ... your root)")
    .requiredOption('--in <file>', 'the PEM chain, leaf first, ending at your self-signed root');
  addGlobalOptions(setChain).action((o: { in: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.setAttestationChain({ certificateChain: readPemBlocks(o.in, '--in') });
      printResult(g.json, result, (r) => {
        process.stdout.write(`attestation chain set (${String(r.certificateChain.length)} certificates)\n`);
      });
    }),
  );
}

/** Registers the attestation commands: under `key`, `attestation`, and `operator` (registered before this). */
export function registerAttestation(program: Command): void {
  const find = (name: string): Command => {
    const found = program.commands.find((c) => c.name() === name);
    if (!found) throw new Error(`custos ${name} must be registered before the attestation commands`);
    return found;
  };
  registerKeyAttest(find('key'));
  registerOperatorAttestation(find('operator'));
  registerAttestationCommands(program);
}
