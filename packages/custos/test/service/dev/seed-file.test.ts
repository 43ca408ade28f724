// Development mode's seed file (local-kms's format, JSON or YAML): what it creates, and every malformed file refused
// with VALIDATION_ERROR naming the field, never echoing key material.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { readSeedFile } from '../../../src/service/dev/seed-file.js';

const ID = '5a2b3c4d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-seed-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(content: string, ext = 'json'): Promise<string> {
  const path = join(dir, `seed-${String(++n)}.${ext}`);
  await writeFile(path, content);
  return path;
}
const aes = (entry: unknown) => JSON.stringify({ Keys: { Symmetric: { Aes: [entry] } } });

describe('readSeedFile', () => {
  it('reads YAML and JSON: specs from the section, the KeySpec or the PEM; aliases', async () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    const json = await file(
      JSON.stringify({
        Keys: {
          Symmetric: {
            Aes: [{ Metadata: { KeyId: ID.toUpperCase() }, BackingKeys: ['00'.repeat(32), '11'.repeat(32)] }],
          },
          Asymmetric: { Ecc: [{ Metadata: { KeyId: '6b3c4d5e-2f3a-4b4c-9d5e-6f7a8b9c0d1e' }, PrivateKeyPem: ed }] },
        },
        Aliases: [{ AliasName: 'alias/a', TargetKeyId: ID }],
      }),
    );
    const seed = await readSeedFile(json);
    expect(seed.keys.map((k) => [k.keyId, k.spec.name, k.usage, k.material.length])).toEqual([
      [ID, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 2],
      ['6b3c4d5e-2f3a-4b4c-9d5e-6f7a8b9c0d1e', 'ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', 1],
    ]);
    expect(seed.aliases).toEqual([{ aliasName: 'alias/a', targetKeyId: ID }]);
    const yaml = await file(
      `Keys:\n  Asymmetric:\n    Rsa:\n      - Metadata:\n          KeyId: ${ID}\n          KeySpec: RSA_3072\n          KeyUsage: SIGN_VERIFY\n`,
      'yaml',
    );
    const [rsa] = (await readSeedFile(yaml)).keys;
    expect([rsa!.spec.name, rsa!.usage, rsa!.material.length]).toEqual(['RSA_3072', 'SIGN_VERIFY', 0]);
  });

  const BAD: [string, string | (() => string), RegExp][] = [
    ['invalid JSON', '{"Keys":', /not valid JSON/],
    ['a list at the top', '[]', /must hold an object/],
    ['an unknown top-level field', '{"Kees":{}}', /unknown field Kees/],
    ['an unknown section', '{"Keys":{"Symmetric":{"Des":[]}}}', /unknown field Keys\.Symmetric\.Des/],
    ['a KeyId that is no UUID', aes({ Metadata: { KeyId: 'k1' } }), /Metadata\.KeyId must be a UUID/],
    ['no Metadata', aes({ BackingKeys: ['00'] }), /Metadata must be an object/],
    [
      'backing key of the wrong length',
      aes({ Metadata: { KeyId: ID }, BackingKeys: ['00'.repeat(16)] }),
      /expected 32 bytes/,
    ],
    ['backing key not hex', aes({ Metadata: { KeyId: ID }, BackingKeys: ['zz'] }), /BackingKeys\[0\] must be hex/],
    ['an unknown spec', aes({ Metadata: { KeyId: ID, KeySpec: 'AES_512' } }), /unknown key spec AES_512/],
    ['a spec in the wrong section', aes({ Metadata: { KeyId: ID, KeySpec: 'HMAC_256' } }), /does not belong/],
    ['a usage the spec lacks', aes({ Metadata: { KeyId: ID, KeyUsage: 'SIGN_VERIFY' } }), /KeyUsage must be one of/],
    [
      'a PEM that is no key',
      JSON.stringify({ Keys: { Asymmetric: { Rsa: [{ Metadata: { KeyId: ID }, PrivateKeyPem: 'secret-ish' }] } } }),
      /PrivateKeyPem is not a PEM private key/,
    ],
    [
      'the same key twice',
      JSON.stringify({ Keys: { Symmetric: { Aes: [{ Metadata: { KeyId: ID } }, { Metadata: { KeyId: ID } }] } } }),
      /listed twice/,
    ],
    [
      'an alias without alias/',
      JSON.stringify({ Aliases: [{ AliasName: 'a', TargetKeyId: ID }] }),
      /AliasName must be/,
    ],
  ];
  for (const [what, content, message] of BAD)
    it(`refuses ${what} with VALIDATION_ERROR`, async () => {
      const path = await file(typeof content === 'string' ? content : content());
      const error = await expectKmsError(readSeedFile(path), 'VALIDATION_ERROR');
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/secret-ish/);
    });

  it('refuses a missing file and malformed YAML', async () => {
    await expectKmsError(readSeedFile(join(dir, 'none.json')), 'VALIDATION_ERROR');
    const error = await expectKmsError(readSeedFile(await file('Keys: [unclosed', 'yml')), 'VALIDATION_ERROR');
    expect(error.message).toMatch(/not valid YAML/);
  });
});
