// `custos key update-description`, `key constraints` and `key export`: a key's description, its usage constraints
// (UpdateKeyConstraints), and its material when it was created exportable (ExportKey, audited).
// Must not import the store, service or api. Exported material goes to --out (mode 0600) or a pipe, never a terminal.
import { ALGORITHMS, type Algorithm, EXPORT_FORMATS, type ExportFormat, type KeyMetadata } from '@custos/contract';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { guardBinaryOutput, openOutput, writeAll } from '../io.js';
import { addGlobalOptions, integer, withKms } from '../options.js';
import { printFields, printJson, printResult, toJson } from '../output.js';
import { serves } from '../serves.js';

/** `none` clears a constraint (null on the wire, mapped by {@link cleared}: commander turns a null value into ''). */
function orNone<T>(parse: (value: string) => T): (value: string) => T | 'none' {
  return (value) => (value === 'none' ? 'none' : parse(value));
}

/** The wire value of an option given: null for `none`. */
function cleared<T>(value: T | 'none'): T | null {
  return value === 'none' ? null : value;
}

function date(option: string): (value: string) => Date {
  return (value) => {
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) throw new UsageError(`${option} expects an ISO 8601 date or time, got '${value}'`);
    return d;
  };
}

function algorithms(value: string): Algorithm[] {
  const names = value.split(',').map((a) => a.trim());
  const bad = names.find((a) => !(ALGORITHMS as readonly string[]).includes(a));
  if (bad !== undefined) throw new UsageError(`--allowed-algorithms: unknown algorithm '${bad}'`);
  return names as Algorithm[];
}

interface ConstraintOptions {
  allowedAlgorithms?: Algorithm[] | 'none';
  notBefore?: Date | 'none';
  notAfter?: Date | 'none';
  maxUses?: number | 'none';
}

function printConstraints(m: KeyMetadata): void {
  const c = m.usageConstraints;
  printFields([
    ['KeyId', m.keyId],
    ['AllowedAlgorithms', c.allowedAlgorithms],
    ['NotBefore', c.notBefore],
    ['NotAfter', c.notAfter],
    ['MaxUses', c.maxUses],
    ['UseCount', c.useCount],
  ]);
}

export function registerKeySettings(key: Command): void {
  const describe = serves(key.command('update-description'), 'updateKeyDescription')
    .description('replace the description of a key')
    .argument('<key>', 'key id, ARN or alias')
    .argument('<description>', 'the new description (may be empty)');
  addGlobalOptions(describe).action((keyId: string, description: string, _o: unknown, c: Command) =>
    withKms(c, async (kms, g) => {
      await kms.updateKeyDescription({ keyId, description });
      const { keyMetadata } = await kms.describeKey({ keyId });
      printResult(g.json, keyMetadata, (m) => process.stdout.write(`${m.keyId}  ${m.description}\n`));
    }),
  );

  const constraints = serves(key.command('constraints'), 'updateKeyConstraints')
    .description("change a key's usage constraints (an option left out is unchanged, 'none' clears it)")
    .argument('<key>', 'key id, ARN or alias')
    .option('--allowed-algorithms <a,b|none>', 'the only algorithms the key may be used with', orNone(algorithms))
    .option('--not-before <date|none>', 'no use before this time', orNone(date('--not-before')))
    .option('--not-after <date|none>', 'no use after this time', orNone(date('--not-after')))
    .addOption(
      new Option('--max-uses <n|none>', 'at most n uses in all').argParser(
        orNone(integer('--max-uses', 1, Number.MAX_SAFE_INTEGER)),
      ),
    );
  addGlobalOptions(constraints).action((keyId: string, o: ConstraintOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const { keyMetadata } = await kms.updateKeyConstraints({
        keyId,
        ...(o.allowedAlgorithms !== undefined && { allowedAlgorithms: cleared(o.allowedAlgorithms) }),
        ...(o.notBefore !== undefined && { notBefore: cleared(o.notBefore) }),
        ...(o.notAfter !== undefined && { notAfter: cleared(o.notAfter) }),
        ...(o.maxUses !== undefined && { maxUses: cleared(o.maxUses) }),
      });
      printResult(g.json, keyMetadata, printConstraints);
    }),
  );

  const exportKey = serves(key.command('export'), 'exportKey')
    .description('export the material of an exportable key (audited): a private JWK or a PKCS#8/raw PEM')
    .argument('<key>', 'key id, ARN or alias')
    .addOption(new Option('--format <format>', 'JWK or PEM').choices(EXPORT_FORMATS).default('PEM'))
    .addOption(
      new Option('--key-version <n>', 'the key version (default: the current one)').argParser(
        integer('--key-version', 1, 1_000_000),
      ),
    )
    .option('--out <file>', 'write the key to a file, created mode 0600 (default stdout, not a terminal)')
    .option('--force', 'write the key material even to a terminal');
  addGlobalOptions(exportKey).action(
    (keyId: string, o: { format: ExportFormat; keyVersion?: number; out?: string; force?: boolean }, c: Command) =>
      withKms(c, async (kms, g) => {
        guardBinaryOutput(o.out, o.force, 'key material');
        const result = await kms.exportKey({
          keyId,
          format: o.format,
          ...(o.keyVersion !== undefined && { keyVersion: o.keyVersion }),
        });
        if (g.json && o.out === undefined) {
          printJson(result);
          return;
        }
        const text = g.json ? toJson(result) : (result.pem ?? toJson(result.jwk));
        await writeAll(openOutput(o.out, 0o600), [Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8')]);
      }),
  );
}
