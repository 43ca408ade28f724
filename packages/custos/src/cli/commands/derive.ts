// `custos derive-shared-secret` (ECDH with a KEY_AGREEMENT key, DeriveSharedSecret) and `custos derive-key` (HKDF or
// PBKDF2 from a key, DeriveKey: the bytes, or a new stored key with --store-as).
// Must not import the store, service or api. Secrets are written raw to --out or a pipe, or as base64 with --json.
import { createPublicKey } from 'node:crypto';
import {
  DERIVATION_ALGORITHMS,
  DERIVED_KEY_SPECS,
  type DerivationAlgorithm,
  type DerivedKeySpec,
} from '@custos/contract';
import { type Command, Option } from 'commander';
import { type BytesOut, readFileOption, writeResult } from '../bytes.js';
import { UsageError } from '../errors.js';
import { addGlobalOptions, integer, withKms } from '../options.js';
import { printResult } from '../output.js';
import { serves } from '../serves.js';

/** A peer public key file, PEM or DER (SubjectPublicKeyInfo), as the SPKI DER DeriveSharedSecret takes. */
function peerKey(path: string): Buffer {
  const bytes = readFileOption(path, '--peer-public-key');
  try {
    const pem = bytes.subarray(0, 11).equals(Buffer.from('-----BEGIN '));
    const key = pem ? createPublicKey(bytes) : createPublicKey({ key: bytes, format: 'der', type: 'spki' });
    return key.export({ type: 'spki', format: 'der' });
  } catch {
    throw new UsageError('--peer-public-key: not a public key (SubjectPublicKeyInfo, PEM or DER)');
  }
}

function hex(option: string): (value: string) => Buffer {
  return (value) => {
    if (!/^([0-9a-fA-F]{2})*$/.test(value)) throw new UsageError(`${option} expects hex bytes, got '${value}'`);
    return Buffer.from(value, 'hex');
  };
}

interface DeriveKeyOptions extends BytesOut {
  key: string;
  algorithm: DerivationAlgorithm;
  salt: Buffer;
  info?: Buffer;
  iterations?: number;
  bytes?: number;
  storeAs?: DerivedKeySpec;
  description?: string;
  exportable?: boolean;
}

interface SharedSecretOptions extends BytesOut {
  key: string;
  peerPublicKey: string;
  storeAs?: DerivedKeySpec;
  salt?: Buffer;
  info?: Buffer;
  description?: string;
  exportable?: boolean;
}

export function registerDerive(program: Command): void {
  const shared = serves(program.command('derive-shared-secret'), 'deriveSharedSecret')
    .description(
      'ECDH between a KEY_AGREEMENT key and a peer public key: the raw shared secret to stdout (or --out), or with ' +
        '--store-as a new key holding HKDF-SHA256 of it (the secret never leaves Custos)',
    )
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of a KEY_AGREEMENT key')
    .requiredOption('--peer-public-key <file>', "the peer's public key, PEM or DER (SubjectPublicKeyInfo)")
    .addOption(
      new Option('--store-as <spec>', 'store HKDF-SHA256 of the secret as a new key').choices(DERIVED_KEY_SPECS),
    )
    .option('--salt <hex>', 'with --store-as: the HKDF salt, hex (default empty)', hex('--salt'))
    .option('--info <hex>', 'with --store-as: the HKDF info, hex (default empty)', hex('--info'))
    .option('--description <text>', 'with --store-as: the new key’s description')
    .option('--exportable', 'with --store-as: the new key may be exported')
    .option('--out <file>', 'write the secret to a file, created mode 0600 (default stdout)')
    .option('--force', 'write the raw secret even to a terminal');
  addGlobalOptions(shared).action((o: SharedSecretOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const publicKey = peerKey(o.peerPublicKey);
      const base = { keyId: o.key, keyAgreementAlgorithm: 'ECDH' as const, publicKey };
      if (o.storeAs === undefined) {
        if (o.salt || o.info || o.description !== undefined || o.exportable)
          throw new UsageError('--salt, --info, --description and --exportable go with --store-as');
        const r = await kms.deriveSharedSecret(base);
        const secret = r.sharedSecret ?? new Uint8Array();
        try {
          await writeResult(g.json, o, r, secret, 'a raw shared secret', 0o600);
        } finally {
          secret.fill(0);
        }
        return;
      }
      const storeAs = {
        keySpec: o.storeAs,
        ...(o.salt && { salt: o.salt }),
        ...(o.info && { info: o.info }),
        ...(o.description !== undefined && { description: o.description }),
        ...(o.exportable && { exportable: true }),
      };
      const r = await kms.deriveSharedSecret({ ...base, storeAs });
      printResult(g.json, r, (x) => process.stdout.write(`${x.keyMetadata?.keyId ?? '-'}  ${o.storeAs ?? ''}\n`));
    }),
  );

  const derive = serves(program.command('derive-key'), 'deriveKey')
    .description(
      'derive from a DERIVE_KEY key with HKDF or PBKDF2: --bytes n returns them, --store-as stores a new key',
    )
    .requiredOption('--key <id|alias>', 'key id, ARN or alias of the source key')
    .addOption(
      new Option('--algorithm <algorithm>', 'derivation algorithm')
        .choices(DERIVATION_ALGORITHMS)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--salt <hex>', 'the salt, hex (may be empty)')
        .argParser(hex('--salt'))
        .default(Buffer.alloc(0), 'empty'),
    )
    .option('--info <hex>', 'HKDF info, hex', hex('--info'))
    .option('--iterations <n>', 'PBKDF2 iterations', integer('--iterations', 1, 10_000_000))
    .option('--bytes <n>', 'return n derived bytes', integer('--bytes', 1, 1024))
    .addOption(new Option('--store-as <spec>', 'store the result as a new key of this spec').choices(DERIVED_KEY_SPECS))
    .option('--description <text>', 'with --store-as: the new key’s description')
    .option('--exportable', 'with --store-as: the new key may be exported')
    .option('--out <file>', 'with --bytes: write them to a file, created mode 0600 (default stdout)')
    .option('--force', 'with --bytes: write raw bytes even to a terminal');
  addGlobalOptions(derive).action((o: DeriveKeyOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const { bytes, storeAs } = o;
      if ((bytes === undefined) === (storeAs === undefined))
        throw new UsageError('give exactly one of --bytes <n> and --store-as <spec>');
      const base = {
        keyId: o.key,
        derivationAlgorithm: o.algorithm,
        salt: o.salt,
        ...(o.info && { info: o.info }),
        ...(o.iterations !== undefined && { iterations: o.iterations }),
      };
      if (o.storeAs !== undefined) {
        const r = await kms.deriveKey({
          ...base,
          storeAs: {
            keySpec: o.storeAs,
            ...(o.description !== undefined && { description: o.description }),
            ...(o.exportable && { exportable: true }),
          },
        });
        printResult(g.json, r, (x) => process.stdout.write(`${x.keyMetadata?.keyId ?? '-'}  ${o.storeAs ?? ''}\n`));
        return;
      }
      const r = await kms.deriveKey({ ...base, numberOfBytes: bytes ?? 0 });
      const plaintext = r.plaintext ?? new Uint8Array();
      try {
        await writeResult(g.json, o, r, plaintext, 'raw derived bytes', 0o600);
      } finally {
        plaintext.fill(0);
      }
    }),
  );
}
