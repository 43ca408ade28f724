// Development mode's seed file: keys and aliases created at start, in local-kms's format (nsmithuk/local-kms:
// Keys.Symmetric.Aes/Hmac with BackingKeys, Keys.Asymmetric.Rsa/Ecc with PrivateKeyPem, Aliases), as JSON or YAML.
// Parsed and checked here, once, before anything is written. Must not import api.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ValidationError, type KeySpec, type KeyUsage } from '@custos/contract';
import { parse as parseYaml } from 'yaml';
import { keySpec, type KeySpecEntry } from '../../core/key-specs.js';
import { SecretBytes } from '../../core/secret-bytes.js';
import { isUuid } from '../../core/uuid.js';

/** One key of the seed file: its id, spec, usage, description, and the material of each version (none: derived). */
export interface SeedKey {
  readonly keyId: string;
  readonly spec: KeySpecEntry;
  readonly usage: KeyUsage;
  readonly description: string;
  /** Version 1, 2, …: the BackingKeys (symmetric) or the PrivateKeyPem (asymmetric); empty: one derived version. */
  readonly material: readonly SecretBytes[];
}

export interface SeedFile {
  readonly keys: readonly SeedKey[];
  readonly aliases: readonly { readonly aliasName: string; readonly targetKeyId: string }[];
}

/** Each section: the families its KeySpec may name, and the spec when none is named (and no PEM tells). */
const SECTIONS = {
  'Symmetric.Aes': { families: ['aes'], fallback: 'SYMMETRIC_DEFAULT' },
  'Symmetric.Hmac': { families: ['hmac'], fallback: 'HMAC_256' },
  'Asymmetric.Rsa': { families: ['rsa'], fallback: 'RSA_2048' },
  'Asymmetric.Ecc': { families: ['ec', 'okp'], fallback: 'ECC_NIST_P256' },
} as const satisfies Record<string, { families: readonly string[]; fallback: KeySpec }>;
type Section = keyof typeof SECTIONS;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads and checks a seed file: `.yaml`/`.yml` as YAML, anything else as JSON. VALIDATION_ERROR naming the file and
 * the field when it cannot be read, does not parse, or names an unknown field, spec, usage or bad material.
 * @example const seed = await readSeedFile('./kms-seed.yaml');
 */
export async function readSeedFile(path: string): Promise<SeedFile> {
  const bad = (what: string) => new ValidationError(`seed file '${path}': ${what}`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw bad(`cannot read it (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let doc: unknown;
  try {
    doc = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch {
    throw bad(`not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}`);
  }
  if (!isObj(doc)) throw bad('must hold an object with Keys and/or Aliases');
  only(doc, ['Keys', 'Aliases'], '', bad);
  const keys: SeedKey[] = [];
  const keysDoc = doc.Keys ?? {};
  if (!isObj(keysDoc)) throw bad('Keys must be an object');
  only(keysDoc, ['Symmetric', 'Asymmetric'], 'Keys.', bad);
  for (const section of Object.keys(SECTIONS) as Section[]) {
    const [group, kind] = section.split('.') as [string, string];
    const groupDoc = keysDoc[group] ?? {};
    if (!isObj(groupDoc)) throw bad(`Keys.${group} must be an object`);
    only(groupDoc, group === 'Symmetric' ? ['Aes', 'Hmac'] : ['Rsa', 'Ecc'], `Keys.${group}.`, bad);
    const list = groupDoc[kind] ?? [];
    if (!Array.isArray(list)) throw bad(`Keys.${section} must be a list`);
    list.forEach((entry, i) => keys.push(seedKey(section, entry, `Keys.${section}[${String(i)}]`, bad)));
  }
  const ids = new Set<string>();
  for (const key of keys) {
    if (ids.has(key.keyId)) throw bad(`key ${key.keyId} is listed twice`);
    ids.add(key.keyId);
  }
  const aliasList = doc.Aliases ?? [];
  if (!Array.isArray(aliasList)) throw bad('Aliases must be a list');
  const aliases = aliasList.map((entry, i) => {
    const where = `Aliases[${String(i)}]`;
    if (!isObj(entry)) throw bad(`${where} must be an object`);
    only(entry, ['AliasName', 'TargetKeyId'], `${where}.`, bad);
    const { AliasName: aliasName, TargetKeyId: targetKeyId } = entry;
    if (typeof aliasName !== 'string' || !aliasName.startsWith('alias/'))
      throw bad(`${where}.AliasName must be a string starting with alias/`);
    if (typeof targetKeyId !== 'string' || !isUuid(targetKeyId)) throw bad(`${where}.TargetKeyId must be a key id`);
    return { aliasName, targetKeyId: targetKeyId.toLowerCase() };
  });
  return { keys, aliases };
}

function only(obj: Obj, allowed: readonly string[], prefix: string, bad: (w: string) => Error): void {
  for (const k of Object.keys(obj))
    if (!allowed.includes(k)) throw bad(`unknown field ${prefix}${k} (known: ${allowed.join(', ')})`);
}

function seedKey(section: Section, entry: unknown, where: string, bad: (w: string) => Error): SeedKey {
  if (!isObj(entry)) throw bad(`${where} must be an object`);
  const symmetric = section.startsWith('Symmetric');
  only(entry, ['Metadata', symmetric ? 'BackingKeys' : 'PrivateKeyPem'], `${where}.`, bad);
  const meta = entry.Metadata;
  if (!isObj(meta)) throw bad(`${where}.Metadata must be an object with a KeyId`);
  only(meta, ['KeyId', 'KeySpec', 'KeyUsage', 'Description'], `${where}.Metadata.`, bad);
  if (typeof meta.KeyId !== 'string' || !isUuid(meta.KeyId)) throw bad(`${where}.Metadata.KeyId must be a UUID`);
  if (meta.Description !== undefined && typeof meta.Description !== 'string')
    throw bad(`${where}.Metadata.Description must be a string`);
  const pem = symmetric ? undefined : parsePem(entry.PrivateKeyPem, `${where}.PrivateKeyPem`, bad);
  const spec = specOf(section, meta.KeySpec, pem, `${where}.Metadata.KeySpec`, bad);
  const usage = meta.KeyUsage ?? spec.usages[0];
  if (typeof usage !== 'string' || !(spec.usages as readonly string[]).includes(usage))
    throw bad(`${where}.Metadata.KeyUsage must be one of ${spec.usages.join(', ')} for ${spec.name}`);
  let material: SecretBytes[];
  try {
    material = symmetric
      ? backingKeys(entry.BackingKeys, `${where}.BackingKeys`, bad).map(
          (b) => spec.family.checkImport(spec, b).material,
        )
      : pem
        ? [spec.family.checkImport(spec, SecretBytes.from(pem.export({ type: 'pkcs8', format: 'der' }))).material]
        : [];
  } catch (err) {
    if (err instanceof ValidationError) throw bad(`${where}: ${err.message}`);
    throw err;
  }
  return {
    keyId: meta.KeyId.toLowerCase(),
    spec,
    usage: usage as KeyUsage,
    description: meta.Description ?? '',
    material,
  };
}

function specOf(
  section: Section,
  named: unknown,
  pem: KeyObject | undefined,
  where: string,
  bad: (w: string) => Error,
) {
  const rule = SECTIONS[section];
  let name: string = rule.fallback;
  if (named !== undefined) {
    if (typeof named !== 'string') throw bad(`${where} must be a string`);
    name = named;
  } else if (pem?.asymmetricKeyType === 'rsa') name = `RSA_${String(pem.asymmetricKeyDetails?.modulusLength)}`;
  else if (pem?.asymmetricKeyType === 'ed25519') name = 'ECC_NIST_EDWARDS25519';
  else if (pem?.asymmetricKeyType === 'x25519') name = 'X25519';
  else if (pem?.asymmetricKeyType === 'ec') name = EC_SPECS[pem.asymmetricKeyDetails?.namedCurve ?? ''] ?? name;
  let spec: KeySpecEntry;
  try {
    spec = keySpec(name);
  } catch {
    throw bad(`${where}: unknown key spec ${name}`);
  }
  if (!(rule.families as readonly string[]).includes(spec.family.name))
    throw bad(`${where}: ${spec.name} does not belong in Keys.${section}`);
  return spec;
}

const EC_SPECS: Record<string, string> = {
  prime256v1: 'ECC_NIST_P256',
  secp384r1: 'ECC_NIST_P384',
  secp521r1: 'ECC_NIST_P521',
  secp256k1: 'ECC_SECG_P256K1',
};

function parsePem(value: unknown, where: string, bad: (w: string) => Error): KeyObject | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw bad(`${where} must be a PEM string`);
  try {
    return createPrivateKey(value);
  } catch {
    throw bad(`${where} is not a PEM private key`); // never the PEM itself in a message
  }
}

function backingKeys(value: unknown, where: string, bad: (w: string) => Error): SecretBytes[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) throw bad(`${where} must be a non-empty list of hex strings`);
  return value.map((hex, i) => {
    if (typeof hex !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(hex))
      throw bad(`${where}[${String(i)}] must be hex (the key bytes)`);
    const bytes = Buffer.from(hex, 'hex');
    const secret = SecretBytes.from(bytes);
    bytes.fill(0);
    return secret;
  });
}
