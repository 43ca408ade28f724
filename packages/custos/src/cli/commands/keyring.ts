// `custos keyring …`: MOSIP keyrings — policies, current certificates, master keys, CSRs, certificate uploads,
// revocation (this file), and hybrid encrypt/decrypt in MOSIP's format (keyring-crypto.ts).
// Must not import the store, service, core or api.
import type { Command } from 'commander';
import type { KeyringCertificate } from '@custos/contract';
import { addGlobalOptions, integer, withKms } from '../options.js';
import { printFields, printJson, printResult, printTable } from '../output.js';
import { serves } from '../serves.js';
import { readPemBlocks } from './pem-files.js';
import { registerKeyringCrypto } from './keyring-crypto.js';
import { keyringOf, keyringOptions, type KeyringOptions } from './keyring-options.js';

interface SubjectOptions {
  cn?: string;
  ou?: string;
  org?: string;
  location?: string;
  state?: string;
  country?: string;
}

function subjectOptions(cmd: Command): Command {
  return cmd
    .option('--cn <commonName>', 'subject common name')
    .option('--ou <unit>', 'subject organisational unit')
    .option('--org <organization>', 'subject organisation')
    .option('--location <location>', 'subject locality')
    .option('--state <state>', 'subject state')
    .option('--country <CC>', 'subject country (two letters)');
}

function subjectOf(o: SubjectOptions): { subject?: Record<string, string> } {
  const fields = {
    ...(o.cn && { commonName: o.cn }),
    ...(o.ou && { organizationUnit: o.ou }),
    ...(o.org && { organization: o.org }),
    ...(o.location && { location: o.location }),
    ...(o.state && { state: o.state }),
    ...(o.country && { country: o.country }),
  };
  return Object.keys(fields).length > 0 ? { subject: fields } : {};
}

function registerPolicy(keyring: Command): void {
  const policy = keyring.command('policy').description('key policies per application id (MOSIP key_policy_def)');
  const list = serves(policy.command('list'), 'listKeyringPolicies').description('list key policies');
  addGlobalOptions(list).action((_o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const { policies } = await kms.listKeyringPolicies({});
      printResult(g.json, policies, (rows) => {
        printTable(rows, [
          { header: 'APPLICATION', value: (p) => p.applicationId },
          { header: 'VALIDITY DAYS', value: (p) => p.validityDays },
          { header: 'PRE-EXPIRE DAYS', value: (p) => p.preExpireDays },
          { header: 'ACTIVE', value: (p) => p.active },
          { header: 'ACCESS', value: (p) => p.accessAllowed },
        ]);
      });
    }),
  );
  const set = serves(policy.command('set'), 'putKeyringPolicy')
    .description('create or replace a key policy')
    .argument('<applicationId>', 'application id')
    .requiredOption('--validity-days <n>', 'validity of a new key, in days', integer('--validity-days', 1, 32767))
    .requiredOption(
      '--pre-expire-days <n>',
      'renew this many days before expiry',
      integer('--pre-expire-days', 0, 32767),
    )
    .option('--inactive', 'an inactive policy generates no key and allows no use')
    .option('--access-allowed <list>', 'NA (anyone, the default) or a comma list of principals');
  addGlobalOptions(set).action(
    (
      applicationId: string,
      o: { validityDays: number; preExpireDays: number; inactive?: boolean; accessAllowed?: string },
      cmd: Command,
    ) =>
      withKms(cmd, async (kms, g) => {
        const { policy: saved } = await kms.putKeyringPolicy({
          applicationId,
          validityDays: o.validityDays,
          preExpireDays: o.preExpireDays,
          active: o.inactive !== true,
          ...(o.accessAllowed !== undefined && { accessAllowed: o.accessAllowed }),
        });
        printResult(g.json, saved, (p) => {
          printFields(Object.entries(p));
        });
      }),
  );
  const get = serves(policy.command('get'), 'getKeyringPolicy')
    .description('show the key policy of an application id')
    .argument('<applicationId>');
  addGlobalOptions(get).action((applicationId: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const { policy: found } = await kms.getKeyringPolicy({ applicationId });
      printResult(g.json, found, (p) => {
        printFields([
          ['Application', p.applicationId],
          ['Validity days', p.validityDays],
          ['Pre-expire days', p.preExpireDays],
          ['Active', p.active],
          ['Access allowed', p.accessAllowed],
        ]);
      });
    }),
  );
  const remove = serves(policy.command('delete'), 'deleteKeyringPolicy')
    .description('delete a key policy')
    .argument('<applicationId>');
  addGlobalOptions(remove).action((applicationId: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      await kms.deleteKeyringPolicy({ applicationId });
      printResult(g.json, { applicationId, deleted: true }, () =>
        process.stdout.write(`deleted key policy ${applicationId}\n`),
      );
    }),
  );
}

const printCertificate = (json: boolean | undefined, c: KeyringCertificate): void => {
  printResult(json, c, () => process.stdout.write(c.certificate.endsWith('\n') ? c.certificate : `${c.certificate}\n`));
};

function registerKeys(keyring: Command): void {
  const certificate = keyringOptions(
    serves(keyring.command('certificate'), 'getKeyringCertificate', 'listKeyringCertificates'),
  )
    .description("the certificate of a keyring's current key (generated on first use); --all: every generation")
    .option('--all', 'every generation, newest first');
  addGlobalOptions(certificate).action((o: KeyringOptions & { all?: boolean }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      if (o.all !== true) {
        printCertificate(g.json, await kms.getKeyringCertificate(keyringOf(o)));
        return;
      }
      const { certificates } = await kms.listKeyringCertificates(keyringOf(o));
      if (g.json) printJson(certificates);
      else
        for (const c of certificates)
          process.stdout.write(c.certificate.endsWith('\n') ? c.certificate : `${c.certificate}\n`);
    }),
  );

  const master = subjectOptions(keyringOptions(serves(keyring.command('generate-master'), 'generateKeyringMasterKey')))
    .description('generate (or with --force replace) the ROOT key or an application master key')
    .option('--force', 'replace the current key and re-certify the keys below it')
    .option('--csr', 'answer a CSR instead of the certificate');
  addGlobalOptions(master).action(
    (o: KeyringOptions & SubjectOptions & { force?: boolean; csr?: boolean }, cmd: Command) =>
      withKms(cmd, async (kms, g) => {
        const made = await kms.generateKeyringMasterKey({
          ...keyringOf(o),
          objectType: o.csr === true ? 'CSR' : 'CERTIFICATE',
          ...(o.force === true && { force: true }),
          ...subjectOf(o),
        });
        printResult(g.json, made, (m) => process.stdout.write(m.csr ?? m.certificate ?? ''));
      }),
  );

  const csr = subjectOptions(keyringOptions(serves(keyring.command('csr'), 'createKeyringCsr'))).description(
    "a CSR for a keyring's current key",
  );
  addGlobalOptions(csr).action((o: KeyringOptions & SubjectOptions, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const made = await kms.createKeyringCsr({ ...keyringOf(o), ...subjectOf(o) });
      printResult(g.json, made, (m) => process.stdout.write(m.csr));
    }),
  );

  for (const [name, what] of [
    ['upload-certificate', "a CA's certificate for the keyring's own key (after csr)"],
    ['upload-partner-certificate', "a partner's certificate to encrypt for (MOSIP uploadOtherDomainCertificate)"],
  ] as const) {
    const upload = keyringOptions(
      serves(
        keyring.command(name),
        name === 'upload-certificate' ? 'uploadKeyringCertificate' : 'uploadPartnerCertificate',
      ),
    )
      .description(`upload ${what}`)
      .requiredOption('--in <file>', 'PEM file with one certificate');
    addGlobalOptions(upload).action((o: KeyringOptions & { in: string }, cmd: Command) =>
      withKms(cmd, async (kms, g) => {
        const [certificate = ''] = readPemBlocks(o.in, '--in');
        const input = { ...keyringOf(o), certificate };
        if (name === 'upload-certificate') await kms.uploadKeyringCertificate(input);
        else await kms.uploadPartnerCertificate(input);
        printResult(g.json, { ...keyringOf(o), uploaded: true }, () => process.stdout.write('Upload Success\n'));
      }),
    );
  }

  const symmetric = serves(keyring.command('symmetric-key'), 'generateKeyringSymmetricKey')
    .description('an AES-256 key in a keyring (MOSIP generateSymmetricKey); kept unless --force')
    .requiredOption('--app <applicationId>', 'application id')
    .requiredOption('--ref <referenceId>', 'reference id')
    .option('--force', 'replace the current symmetric key');
  addGlobalOptions(symmetric).action((o: { app: string; ref: string; force?: boolean }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const made = await kms.generateKeyringSymmetricKey({
        applicationId: o.app,
        referenceId: o.ref,
        ...(o.force && { force: true }),
      });
      printResult(g.json, made, (m) => process.stdout.write(`${m.generated ? 'generated' : 'kept'} ${m.keyId}\n`));
    }),
  );

  const revoke = serves(keyring.command('revoke'), 'revokeKeyringKey')
    .description("expire a keyring's current key now (the next use generates a new one)")
    .requiredOption('--app <applicationId>', 'application id')
    .requiredOption('--ref <referenceId>', 'reference id');
  addGlobalOptions(revoke).action((o: { app: string; ref: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      await kms.revokeKeyringKey({ applicationId: o.app, referenceId: o.ref });
      printResult(g.json, { applicationId: o.app, referenceId: o.ref, revoked: true }, () =>
        process.stdout.write('Key Revoked\n'),
      );
    }),
  );
}

export function registerKeyring(program: Command): void {
  const keyring = program
    .command('keyring')
    .description('MOSIP keyrings: policies, keys, certificates, hybrid encryption');
  registerPolicy(keyring);
  registerKeys(keyring);
  registerKeyringCrypto(keyring);
}
