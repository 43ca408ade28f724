// Test-only: one key per spec, shared by a test file. RSA keys come from Wycheproof's OAEP files (generating
// RSA-4096 takes seconds); the others are generated. Imports core only.
import type { KeySpecEntry } from '../../src/core/key-specs.js';
import { generateKeyMaterial, validateImportedMaterial, type GeneratedKey } from '../../src/core/key-material.js';
import { SecretBytes } from '../../src/core/secret-bytes.js';
import { hex, loadWycheproof } from './vectors/wycheproof.js';

const RSA_FILES: Record<number, string> = {
  2048: 'rsa_oaep_2048_sha256_mgf1sha256_test.json',
  3072: 'rsa_oaep_3072_sha256_mgf1sha256_test.json',
  4096: 'rsa_oaep_4096_sha256_mgf1sha256_test.json',
};

const cache = new Map<string, Promise<GeneratedKey>>();

/** The same key for a spec on every call in one test file; always with its SPKI public key for asymmetric specs. */
export function fixtureKey(spec: KeySpecEntry): Promise<GeneratedKey> {
  let key: Promise<GeneratedKey> | undefined = cache.get(spec.name);
  if (key === undefined) {
    const file = spec.modulusBits === undefined ? undefined : RSA_FILES[spec.modulusBits];
    key =
      file === undefined
        ? generateKeyMaterial(spec)
        : Promise.resolve(
            validateImportedMaterial(spec, SecretBytes.from(hex(loadWycheproof(file).testGroups[0]?.privateKeyPkcs8))),
          );
    cache.set(spec.name, key);
  }
  return key;
}
