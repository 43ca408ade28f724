// `custos key import-parameters`, `key import` and `key delete-imported-material`: bringing your own key material
// into an EXTERNAL key, as AWS KMS documents it: GetParametersForImport gives an RSA wrapping key and an import
// token; the material is wrapped (RSAES_OAEP_SHA_*, or RSA_AES_KEY_WRAP_SHA_*: an AES-256 key under RSA-OAEP and
// the material under it with AES key wrap with padding, RFC 5649) and sent with ImportKeyMaterial.
// Must not import the store, service or api; node:crypto does the wrapping, here, so plaintext material never leaves.
import { constants, createCipheriv, createPrivateKey, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import {
  EXPIRATION_MODELS,
  type ExpirationModel,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@custos/contract';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { openOutput, writeAll } from '../io.js';
import { readFileOption } from '../bytes.js';
import { addGlobalOptions, withKms } from '../options.js';
import { printFields, printResult } from '../output.js';
import { serves } from '../serves.js';

/** The material as AWS takes it: raw bytes of a secret key, DER PKCS#8 of a private key (a PEM file is converted). */
function readMaterial(path: string): Buffer {
  const bytes = readFileOption(path, '--material');
  if (!bytes.subarray(0, 11).equals(Buffer.from('-----BEGIN '))) return bytes;
  try {
    return createPrivateKey(bytes).export({ type: 'pkcs8', format: 'der' });
  } catch {
    throw new UsageError('--material: a PEM file must hold a private key (PKCS#8, PKCS#1 or SEC 1)');
  } finally {
    bytes.fill(0);
  }
}

/** Wraps `material` for ImportKeyMaterial under the SPKI DER wrapping key (AWS "Encrypt the key material"). */
function wrap(material: Buffer, publicKeyDer: Uint8Array, algorithm: WrappingAlgorithm): Buffer {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const rsa = (data: Buffer) => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (algorithm.startsWith('RSAES_OAEP')) return rsa(material);
  const aesKey = randomBytes(32);
  try {
    const kwp = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('A65959A6', 'hex'));
    return Buffer.concat([rsa(aesKey), kwp.update(material), kwp.final()]);
  } finally {
    aesKey.fill(0);
  }
}

interface ImportOptions {
  material?: string;
  encryptedMaterial?: string;
  importToken?: string;
  wrappingAlgorithm?: WrappingAlgorithm;
  wrappingKeySpec: WrappingKeySpec;
  validTo?: Date;
  expirationModel?: ExpirationModel;
}

function validTo(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--valid-to expects an ISO 8601 date or time, got '${value}'`);
  return d;
}

function wrappingOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--wrapping-algorithm <algorithm>', 'how the material is wrapped').choices(WRAPPING_ALGORITHMS),
    )
    .addOption(
      new Option('--wrapping-key-spec <spec>', 'the RSA wrapping key').choices(WRAPPING_KEY_SPECS).default('RSA_2048'),
    );
}

export function registerKeyImport(key: Command): void {
  const params = serves(key.command('import-parameters'), 'getParametersForImport')
    .description('get a wrapping public key and an import token, to wrap material yourself (e.g. with openssl)')
    .argument('<key>', 'key id, ARN or alias of an EXTERNAL key');
  wrappingOptions(params)
    .option('--public-key-out <file>', 'write the wrapping public key (SPKI DER) to this file')
    .option('--import-token-out <file>', 'write the import token to this file');
  addGlobalOptions(params).action(
    (keyId: string, o: ImportOptions & { publicKeyOut?: string; importTokenOut?: string }, c: Command) =>
      withKms(c, async (kms, g) => {
        const r = await kms.getParametersForImport({
          keyId,
          wrappingAlgorithm: o.wrappingAlgorithm ?? 'RSAES_OAEP_SHA_256',
          wrappingKeySpec: o.wrappingKeySpec,
        });
        if (o.publicKeyOut !== undefined) await writeAll(openOutput(o.publicKeyOut), [r.publicKey]);
        if (o.importTokenOut !== undefined) await writeAll(openOutput(o.importTokenOut), [r.importToken]);
        printResult(g.json, r, () => {
          printFields([
            ['KeyId', r.keyId],
            ['ParametersValidTo', r.parametersValidTo],
            ['PublicKey', o.publicKeyOut ?? r.publicKey],
            ['ImportToken', o.importTokenOut ?? r.importToken],
          ]);
        });
      }),
  );

  const imp = serves(key.command('import'), 'importKeyMaterial', 'getParametersForImport')
    .description(
      'import key material into an EXTERNAL key: --material is wrapped here (raw secret bytes, or a private key as DER or PEM); or send --encrypted-material with its --import-token',
    )
    .argument('<key>', 'key id, ARN or alias of an EXTERNAL key')
    .option('--material <file>', 'the plaintext material, wrapped here with node:crypto before it is sent')
    .option('--encrypted-material <file>', 'material you wrapped (with import-parameters and openssl)')
    .option('--import-token <file>', 'the import token that goes with --encrypted-material')
    .option('--valid-to <date>', 'the material expires then (KEY_MATERIAL_EXPIRES)', validTo)
    .addOption(new Option('--expiration-model <model>', 'whether the material expires').choices(EXPIRATION_MODELS));
  addGlobalOptions(wrappingOptions(imp)).action((keyId: string, o: ImportOptions, c: Command) =>
    withKms(c, async (kms, g) => {
      const { encryptedMaterial, importToken: tokenFile } = o;
      if ((o.material === undefined) === (encryptedMaterial === undefined))
        throw new UsageError('give either --material or --encrypted-material (with --import-token)');
      if ((encryptedMaterial === undefined) !== (tokenFile === undefined))
        throw new UsageError('--encrypted-material and --import-token go together');
      let encryptedKeyMaterial: Buffer;
      let importToken: Uint8Array;
      if (o.material !== undefined) {
        const material = readMaterial(o.material);
        try {
          // OAEP with SHA-256 under RSA-2048 holds at most 190 bytes: larger material (private keys) needs key wrap.
          const algorithm =
            o.wrappingAlgorithm ?? (material.length <= 190 ? 'RSAES_OAEP_SHA_256' : 'RSA_AES_KEY_WRAP_SHA_256');
          const p = await kms.getParametersForImport({
            keyId,
            wrappingAlgorithm: algorithm,
            wrappingKeySpec: o.wrappingKeySpec,
          });
          encryptedKeyMaterial = wrap(material, p.publicKey, algorithm);
          importToken = p.importToken;
        } finally {
          material.fill(0);
        }
      } else if (encryptedMaterial !== undefined && tokenFile !== undefined) {
        encryptedKeyMaterial = readFileOption(encryptedMaterial, '--encrypted-material');
        importToken = readFileOption(tokenFile, '--import-token');
      } else {
        return; // excluded above
      }
      const r = await kms.importKeyMaterial({
        keyId,
        importToken,
        encryptedKeyMaterial,
        ...(o.validTo && { validTo: o.validTo }),
        ...(o.expirationModel && { expirationModel: o.expirationModel }),
        ...(o.validTo && !o.expirationModel && { expirationModel: 'KEY_MATERIAL_EXPIRES' }),
      });
      printResult(g.json, r, () => process.stdout.write(`imported key material into ${r.keyId}\n`));
    }),
  );

  const del = serves(key.command('delete-imported-material'), 'deleteImportedKeyMaterial')
    .description('delete the imported material of a key (it becomes PendingImport)')
    .argument('<key>', 'key id, ARN or alias')
    .option('--key-material-id <id>', 'which material (default: the current one)');
  addGlobalOptions(del).action((keyId: string, o: { keyMaterialId?: string }, c: Command) =>
    withKms(c, async (kms, g) => {
      const r = await kms.deleteImportedKeyMaterial({
        keyId,
        ...(o.keyMaterialId !== undefined && { keyMaterialId: o.keyMaterialId }),
      });
      printResult(g.json, r, () => process.stdout.write(`deleted the imported material of ${r.keyId}\n`));
    }),
  );
}
