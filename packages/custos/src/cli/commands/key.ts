// `custos key ...`: create, list, describe, enable, disable, rotate, schedule-deletion (--force), cancel-deletion; subgroups.
// Must not import the store, service or api.
import {
  KEY_SPECS,
  KEY_USAGES,
  PROTECTION_LEVELS,
  type KeyMetadata,
  type KeySpec,
  type KeyUsage,
  type Kms,
  type OperationMethod,
  type ProtectionLevel,
} from '@custos/contract';
import { type Command, Option } from 'commander';
import { CliError } from '../errors.js';
import { addGlobalOptions, aliasName, collectKeyValue, integer, withKms } from '../options.js';
import { printFields, printResult } from '../output.js';
import { registerKeyAlias } from './key-alias.js';
import { registerKeyList } from './key-list.js';
import { registerKeyCertificate } from './key-certificate.js';
import { addCreateSecretOptions, createSecretsOf, type CreateSecretOptions } from './key-create-options.js';
import { registerKeyGrant } from './key-grant.js';
import { registerKeyJwk } from './key-jwk.js';
import { registerKeyImport } from './key-import.js';
import { registerKeyImportPublic } from './key-import-public.js';
import { registerKeyPolicy } from './key-policy.js';
import { registerKeyRotation } from './key-rotation.js';
import { registerKeySettings } from './key-settings.js';
import { registerKeyTag } from './key-tag.js';
import { registerKeyUnblock } from './key-unblock.js';
import { registerKeyUsage } from './key-usage.js';
import { serves } from '../serves.js';

interface CreateOptions extends CreateSecretOptions {
  spec?: KeySpec;
  usage?: KeyUsage;
  description?: string;
  alias?: string;
  exportable?: boolean;
  publishJwk?: boolean;
  origin?: 'AWS_KMS' | 'EXTERNAL';
  protection?: ProtectionLevel;
  tag?: Record<string, string>;
}

/** The fields `key describe` shows, in order. */
const DESCRIBE_FIELDS: readonly (readonly [string, (m: KeyMetadata) => unknown])[] = [
  ['KeyId', (m) => m.keyId],
  ['Arn', (m) => m.arn],
  ['KeySpec', (m) => m.keySpec],
  ['KeyUsage', (m) => m.keyUsage],
  ['KeyState', (m) => m.keyState],
  ['Description', (m) => m.description],
  ['Origin', (m) => m.origin],
  ['PublicKeyOnly', (m) => m.publicKeyOnly],
  ['ProtectionLevel', (m) => m.protectionLevel],
  ['Exportable', (m) => m.exportable],
  ['CurrentKeyVersion', (m) => m.currentKeyVersion],
  ['MinDecryptionVersion', (m) => m.minDecryptionVersion],
  ['LastUsedAt', (m) => m.lastUsedAt],
  ['CreationDate', (m) => m.creationDate],
  ['DeletionDate', (m) => m.deletionDate],
  [
    'Algorithms',
    (m) => [
      ...(m.encryptionAlgorithms ?? []),
      ...(m.signingAlgorithms ?? []),
      ...(m.macAlgorithms ?? []),
      ...(m.keyAgreementAlgorithms ?? []),
      ...(m.derivationAlgorithms ?? []),
    ],
  ],
];

export function printMetadata(m: KeyMetadata): void {
  printFields(DESCRIBE_FIELDS.map(([label, get]) => [label, get(m)] as const));
}

/** Runs a state change, then prints the key as it is now. */
async function changeState(
  kms: Kms,
  keyId: string,
  json: boolean | undefined,
  change: () => Promise<unknown>,
): Promise<void> {
  await change();
  const { keyMetadata } = await kms.describeKey({ keyId });
  printResult(json, keyMetadata, (m) =>
    process.stdout.write(`${m.keyId}  ${m.keyState}  version ${m.currentKeyVersion}\n`),
  );
}

export function registerKey(program: Command): void {
  const key = program.command('key').description('manage keys, their aliases, tags and certificates');

  const create = serves(key.command('create'), 'createKey')
    .description('create a key')
    .addOption(new Option('--spec <spec>', 'key spec (default SYMMETRIC_DEFAULT)').choices(KEY_SPECS))
    .addOption(new Option('--usage <usage>', 'key usage (default: the spec’s first usage)').choices(KEY_USAGES))
    .option('--description <text>', 'description')
    .option('--alias <alias>', 'also create this alias (alias/name or name)')
    .option('--exportable', 'allow ExportKey of the key material (audited)')
    .option('--publish-jwk', 'show the public JWK at /.well-known/jwks.json (signing keys)')
    .addOption(
      new Option('--origin <origin>', 'AWS_KMS (generated here) or EXTERNAL (import material later)').choices([
        'AWS_KMS',
        'EXTERNAL',
      ]),
    )
    .addOption(
      new Option(
        '--protection <level>',
        'SOFTWARE (default) or HSM: generated and used inside the PKCS#11 token of the root of trust',
      ).choices(PROTECTION_LEVELS),
    )
    .option('--tag <key=value>', 'tag (repeatable)', collectKeyValue);
  addGlobalOptions(addCreateSecretOptions(create)).action((o: CreateOptions, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const secrets = createSecretsOf(o);
      const { keyMetadata, puk } = await kms.createKey({
        ...secrets,
        ...(o.spec && { keySpec: o.spec }),
        ...(o.usage && { keyUsage: o.usage }),
        ...(o.description !== undefined && { description: o.description }),
        ...(o.exportable && { exportable: true }),
        ...(o.publishJwk && { publishJwk: true }),
        ...(o.origin && { origin: o.origin }),
        ...(o.protection && { protectionLevel: o.protection }),
        ...(o.tag && { tags: Object.entries(o.tag).map(([tagKey, tagValue]) => ({ tagKey, tagValue })) }),
      });
      if (o.alias !== undefined) {
        try {
          await kms.createAlias({ aliasName: aliasName(o.alias), targetKeyId: keyMetadata.keyId });
        } catch (err) {
          const code = (err as { code?: unknown }).code;
          throw new CliError(
            typeof code === 'string' ? code : 'ERROR',
            `key ${keyMetadata.keyId} was created, but not the alias: ${(err as Error).message}`,
            { cause: err },
          );
        }
      }
      // The PUK of a PIN-protected key is shown here once, never again.
      if (g.json) printResult(true, puk === undefined ? keyMetadata : { ...keyMetadata, puk }, printMetadata);
      else {
        printMetadata(keyMetadata);
        if (puk !== undefined) process.stdout.write(`PUK (shown once; keep it offline): ${puk}\n`);
      }
    }),
  );

  registerKeyList(key);

  const describe = serves(key.command('describe'), 'describeKey')
    .description('show a key’s metadata')
    .argument('<key>', 'key id, ARN or alias');
  addGlobalOptions(describe).action((keyId: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      printResult(g.json, (await kms.describeKey({ keyId })).keyMetadata, printMetadata);
    }),
  );

  const simple = [
    ['enable', 'enable a Disabled key', 'enableKey'],
    ['disable', 'disable an Enabled key', 'disableKey'],
    ['rotate', 'add a new key version now (RotateKeyOnDemand)', 'rotateKeyOnDemand'],
    ['cancel-deletion', 'take a key out of PendingDeletion (it becomes Disabled)', 'cancelKeyDeletion'],
  ] as const satisfies readonly (readonly [string, string, OperationMethod])[];
  for (const [name, description, method] of simple) {
    const cmd = serves(key.command(name), method).description(description).argument('<key>', 'key id, ARN or alias');
    addGlobalOptions(cmd).action((keyId: string, _o: unknown, c: Command) =>
      withKms(c, (kms, g) => changeState(kms, keyId, g.json, () => kms[method]({ keyId }))),
    );
  }

  const schedule = serves(key.command('schedule-deletion'), 'scheduleKeyDeletion')
    .description('schedule a key for deletion after a waiting period')
    .argument('<key>', 'key id, ARN or alias')
    .addOption(
      new Option('--days <n>', 'waiting period in days (server default: 30)').argParser(integer('--days', 1, 30)),
    )
    .option('--force', 'schedule even though the key was used recently (refused otherwise: KEY_RECENTLY_USED)');
  addGlobalOptions(schedule).action((keyId: string, o: { days?: number; force?: boolean }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.scheduleKeyDeletion({
        keyId,
        ...(o.days !== undefined && { pendingWindowInDays: o.days }),
        ...(o.force === true && { force: true }),
      });
      printResult(g.json, result, (r) => {
        printFields([
          ['KeyId', r.keyId],
          ['KeyState', r.keyState],
          ['DeletionDate', r.deletionDate],
          ['PendingWindowInDays', r.pendingWindowInDays],
        ]);
      });
    }),
  );

  registerKeyAlias(key);
  registerKeyTag(key);
  registerKeyCertificate(key);
  registerKeyJwk(key);
  registerKeySettings(key);
  registerKeyRotation(key);
  registerKeyImport(key);
  registerKeyImportPublic(key);
  registerKeyPolicy(key);
  registerKeyGrant(key);
  registerKeyUnblock(key);
  registerKeyUsage(key);
}
