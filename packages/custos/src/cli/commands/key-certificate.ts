// `custos key csr` and `custos key certificate set|get|self-signed|issue`: certificates for asymmetric signing keys,
// and Custos as a CA. Must not import the store, service, core or api.
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '@custos/contract';
import { type Command, Option } from 'commander';
import { addGlobalOptions, addPinFileOption, integer, withKms } from '../options.js';
import { printJson } from '../output.js';
import { collect, readPemBlocks, readText, writePem } from './pem-files.js';
import { serves } from '../serves.js';

interface SigningOptions {
  key: string;
  algorithm?: SigningAlgorithm;
  out?: string;
}

interface CsrOptions extends SigningOptions {
  subject: string;
  san?: string[];
}

interface SelfSignedOptions extends CsrOptions {
  days: number;
  ca?: boolean;
  pathLength?: number;
}

interface IssueOptions extends SigningOptions {
  csr: string;
  days: number;
  ca?: boolean;
  pathLength?: number;
  chain?: boolean;
}

/** --key, --algorithm and --out, which every signing command takes. */
function signing(cmd: Command): Command {
  return cmd
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of an asymmetric SIGN_VERIFY key')
    .addOption(
      new Option('--algorithm <algorithm>', "signing algorithm (default: the key spec's usual one)").choices(
        SIGNING_ALGORITHMS,
      ),
    )
    .option('--out <file>', 'write the PEM to a file (default stdout)');
}

const DAYS = integer('--days', 1, 36500);
const PATH_LENGTH = integer('--path-length', 0, 16);

export function registerKeyCertificate(key: Command): void {
  const csr = signing(
    serves(key.command('csr'), 'createCsr').description('make a PKCS#10 certificate request signed by the key'),
  )
    .requiredOption('--subject <dn>', 'subject name, e.g. "CN=orders,O=Acme"')
    .option('--san <name>', 'subject alternative name: DNS:…, IP:…, email:…, URI:… (repeatable)', collect);
  addGlobalOptions(addPinFileOption(csr)).action((o: CsrOptions, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.createCsr({
        keyId: o.key,
        subject: o.subject,
        ...(o.san && { subjectAltNames: o.san }),
        ...(o.algorithm && { signingAlgorithm: o.algorithm }),
      });
      if (g.json) printJson(result);
      else await writePem(o.out, [result.csr]);
    }),
  );

  const certificate = key.command('certificate').description("a key's certificate chain; Custos as a CA");

  const set = serves(certificate.command('set'), 'setKeyCertificate')
    .description("store the key's certificate chain (leaf first; checked against the trust store)")
    .requiredOption('--key <id|alias>', 'key id, ARN or alias')
    .requiredOption('--in <file>', 'PEM file: the leaf certificate, then its intermediates')
    .option('--domain <domain>', 'trust store domain to check the chain against (default "default")');
  addGlobalOptions(set).action((o: { key: string; in: string; domain?: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.setKeyCertificate({
        keyId: o.key,
        certificateChain: readPemBlocks(o.in, '--in'),
        ...(o.domain && { domain: o.domain }),
      });
      if (g.json) printJson(result);
      else process.stdout.write(`certificate set for ${result.keyId} (sha256 ${result.thumbprints.sha256})\n`);
    }),
  );

  const get = serves(certificate.command('get'), 'getKeyCertificate')
    .description("write the key's certificate chain as PEM (leaf first)")
    .requiredOption('--key <id|alias>', 'key id, ARN or alias')
    .option('--out <file>', 'write the chain to a file (default stdout)');
  addGlobalOptions(get).action((o: { key: string; out?: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.getKeyCertificate({ keyId: o.key });
      if (g.json) printJson(result);
      else await writePem(o.out, result.certificateChain);
    }),
  );

  const selfSigned = signing(
    serves(certificate.command('self-signed'), 'createSelfSignedCertificate').description(
      "make a self-signed certificate and store it as the key's",
    ),
  )
    .requiredOption('--subject <dn>', 'subject name, e.g. "CN=Acme Root CA,O=Acme"')
    .requiredOption('--days <n>', 'validity in days', DAYS)
    .option('--ca', 'a CA certificate (basicConstraints cA, keyCertSign)')
    .option('--path-length <n>', 'with --ca: how many CA certificates may follow below it', PATH_LENGTH)
    .option('--san <name>', 'subject alternative name (repeatable)', collect);
  addGlobalOptions(addPinFileOption(selfSigned)).action((o: SelfSignedOptions, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.createSelfSignedCertificate({
        keyId: o.key,
        subject: o.subject,
        validityDays: o.days,
        ...(o.ca && { isCa: true }),
        ...(o.pathLength !== undefined && { pathLength: o.pathLength }),
        ...(o.san && { subjectAltNames: o.san }),
        ...(o.algorithm && { signingAlgorithm: o.algorithm }),
      });
      if (g.json) printJson(result);
      else await writePem(o.out, [result.certificate]);
    }),
  );

  const issue = signing(
    serves(certificate.command('issue'), 'issueCertificate').description(
      "sign a CSR with the key, whose certificate must be a CA's",
    ),
  )
    .requiredOption('--csr <file>', 'the PEM certificate request')
    .requiredOption('--days <n>', 'validity in days', DAYS)
    .option('--ca', 'issue a CA certificate')
    .option('--path-length <n>', "with --ca: the issued CA's path length", PATH_LENGTH)
    .option('--chain', "write the issued certificate followed by the issuer's chain");
  addGlobalOptions(addPinFileOption(issue)).action((o: IssueOptions, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.issueCertificate({
        keyId: o.key,
        csr: readText(o.csr, '--csr'),
        validityDays: o.days,
        ...(o.ca && { isCa: true }),
        ...(o.pathLength !== undefined && { pathLength: o.pathLength }),
        ...(o.algorithm && { signingAlgorithm: o.algorithm }),
      });
      if (g.json) printJson(result);
      else await writePem(o.out, o.chain ? result.certificateChain : [result.certificate]);
    }),
  );
}
