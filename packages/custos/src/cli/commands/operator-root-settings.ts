// What `custos operator migrate-root` moves from and to, built from its flags: the current root (file by default,
// `--from-pkcs11-*`, `--from-shamir-share-file`) and the target (`--to file|pkcs11|shamir` with its own flags), and
// the flags to start the server with afterwards. No secret is ever part of a message here.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NewShamirTarget, RootTarget } from '../../api/root-migration.js';
import { UsageError } from '../errors.js';
import { readAllBounded } from '../io.js';
import { readSecretFile, rootOfTrustOptions } from './server-options.js';
import type { ServerSettings } from './server-settings.js';

export interface MigrateOptions {
  to: 'file' | 'pkcs11' | 'shamir';
  rootKeyFile?: string;
  passphraseFile?: string;
  fromPassphraseFile?: string;
  pkcs11Module?: string;
  pkcs11TokenLabel?: string;
  pkcs11PinFile?: string;
  pkcs11KeyLabel?: string;
  fromPkcs11Module?: string;
  fromPkcs11TokenLabel?: string;
  fromPkcs11PinFile?: string;
  fromPkcs11KeyLabel?: string;
  shares?: number;
  threshold?: number;
  shamirShareFile?: string;
  fromShamirShareFile?: string;
  databaseUrl?: string;
  databaseSchema?: string;
}

/** A new Shamir root: how many shares to make (printed once, before any key is re-wrapped). */
type NewShamir = Omit<NewShamirTarget, 'onShares'>;

/** Unseal shares, one per line (blank lines ignored), from a file or, for `-`, from stdin. Never echoed. */
async function readShares(file: string, flag: string): Promise<string[]> {
  let text: string;
  if (file === '-') text = (await readAllBounded(process.stdin, 64 * 1024, 'the shares on stdin')).toString('utf8');
  else
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${flag} '${file}' (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  const shares = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (shares.length === 0) throw new UsageError(`${flag}: no unseal share in it (one share per line)`);
  return shares;
}

const pkcs11From = (o: MigrateOptions): boolean =>
  [o.fromPkcs11Module, o.fromPkcs11TokenLabel, o.fromPkcs11PinFile, o.fromPkcs11KeyLabel].some((v) => v !== undefined);

/** The current root: shamir with --from-shamir-share-file, else pkcs11 for --to file or --from-pkcs11-*, else file. */
function source(o: MigrateOptions, base: ServerSettings): ServerSettings {
  const rootKeyFile = o.rootKeyFile !== undefined && { rootKeyFile: o.rootKeyFile };
  if (o.fromShamirShareFile !== undefined) {
    if (pkcs11From(o) || o.fromPassphraseFile !== undefined)
      throw new UsageError(
        '--from-shamir-share-file names a Shamir root: no --from-pkcs11-* or --from-passphrase-file',
      );
    return { ...base, rootOfTrust: 'shamir', ...rootKeyFile };
  }
  if (o.to === 'file' || pkcs11From(o)) {
    const s: ServerSettings = { ...base, rootOfTrust: 'pkcs11' };
    if (o.fromPkcs11Module !== undefined) s.pkcs11Module = o.fromPkcs11Module;
    if (o.fromPkcs11TokenLabel !== undefined) s.pkcs11TokenLabel = o.fromPkcs11TokenLabel;
    if (o.fromPkcs11PinFile !== undefined) s.pkcs11PinFile = o.fromPkcs11PinFile;
    if (o.fromPkcs11KeyLabel !== undefined) s.pkcs11KeyLabel = o.fromPkcs11KeyLabel;
    return s;
  }
  return {
    ...base,
    rootOfTrust: 'file',
    ...rootKeyFile,
    ...(o.fromPassphraseFile !== undefined && { passphraseFile: o.fromPassphraseFile }),
  };
}

async function target(
  o: MigrateOptions,
  base: ServerSettings,
): Promise<{ target: RootTarget | NewShamir; flags: string }> {
  const rootKeyFile = o.rootKeyFile !== undefined ? { rootKeyFile: o.rootKeyFile } : {};
  if (o.to === 'pkcs11') {
    const settings: ServerSettings = { ...base, rootOfTrust: 'pkcs11' };
    if (o.pkcs11Module !== undefined) settings.pkcs11Module = o.pkcs11Module;
    if (o.pkcs11TokenLabel !== undefined) settings.pkcs11TokenLabel = o.pkcs11TokenLabel;
    if (o.pkcs11PinFile !== undefined) settings.pkcs11PinFile = o.pkcs11PinFile;
    if (o.pkcs11KeyLabel !== undefined) settings.pkcs11KeyLabel = o.pkcs11KeyLabel;
    const t = rootOfTrustOptions(settings).rootOfTrust;
    if (t?.kind !== 'pkcs11') throw new UsageError('--to pkcs11 needs the --pkcs11-* options');
    const flags =
      `--root-of-trust pkcs11 --pkcs11-module ${resolve(t.module)} --pkcs11-token-label ${t.tokenLabel} ` +
      `--pkcs11-pin-file <file>${t.keyLabel !== undefined ? ` --pkcs11-key-label ${t.keyLabel}` : ''}` +
      ' (and no --passphrase-file or --root-key-file)';
    return { target: t, flags };
  }
  const keyFileFlag = o.rootKeyFile !== undefined ? ` --root-key-file ${o.rootKeyFile}` : '';
  if (o.to === 'shamir') {
    if (o.passphraseFile !== undefined) throw new UsageError('--passphrase-file is for --to file');
    const flags = `--root-of-trust shamir${keyFileFlag} (and unseal it with the new shares: custos operator unseal)`;
    if (o.shamirShareFile !== undefined) {
      if (o.shares !== undefined || o.threshold !== undefined)
        throw new UsageError('--shamir-share-file resumes an interrupted migration: no --shares or --threshold');
      const unsealShares = await readShares(o.shamirShareFile, '--shamir-share-file');
      return { target: { kind: 'shamir', unsealShares, ...rootKeyFile }, flags };
    }
    if (o.shares === undefined || o.threshold === undefined)
      throw new UsageError('--to shamir needs --shares and --threshold (or --shamir-share-file to resume)');
    if (o.threshold > o.shares) throw new UsageError('--threshold must not exceed --shares');
    return { target: { kind: 'shamir', shares: o.shares, threshold: o.threshold, ...rootKeyFile }, flags };
  }
  const t: RootTarget = {
    kind: 'file',
    ...rootKeyFile,
    ...(o.passphraseFile !== undefined && { passphrase: readSecretFile(o.passphraseFile, 'passphrase') }),
  };
  const flags =
    `--root-of-trust file${o.passphraseFile !== undefined ? ' --passphrase-file <file>' : ''}` +
    `${keyFileFlag} (and no --pkcs11-* options)`;
  return { target: t, flags };
}

/** The current root, the target and the flags to start with afterwards. */
export async function migration(
  o: MigrateOptions,
  dataDir: string,
): Promise<{ source: ServerSettings; unsealShares?: string[]; target: RootTarget | NewShamir; flags: string }> {
  if (o.to !== 'shamir' && [o.shares, o.threshold, o.shamirShareFile].some((v) => v !== undefined))
    throw new UsageError('--shares, --threshold and --shamir-share-file are for --to shamir');
  const base: ServerSettings = {
    dataDir,
    listen: '',
    ...(o.databaseUrl !== undefined && { databaseUrl: o.databaseUrl }),
    ...(o.databaseSchema !== undefined && { databaseSchema: o.databaseSchema }),
  };
  const from = source(o, base);
  const unsealShares =
    o.fromShamirShareFile !== undefined
      ? await readShares(o.fromShamirShareFile, '--from-shamir-share-file')
      : undefined;
  return { source: from, ...(unsealShares !== undefined && { unsealShares }), ...(await target(o, base)) };
}
