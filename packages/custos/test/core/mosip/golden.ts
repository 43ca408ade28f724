// The MOSIP golden vectors (test/fixtures/mosip/golden.json, made once by make-golden.mjs with plain node:crypto) and
// the fixed RSA key and certificate they were made for. Test helper; imports nothing from src.
import { constants, createPrivateKey, privateDecrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/mosip/${name}`, import.meta.url), 'utf8');

export interface GoldenVector {
  readonly name: string;
  readonly layout: 'a' | 'b' | 'c';
  readonly plaintext: string;
  readonly aad?: string;
  readonly salt?: string;
  readonly random?: string;
  readonly thumbprint: boolean;
  readonly dataPart: string;
  readonly ciphertext: string;
}

export const golden = JSON.parse(fixture('golden.json')) as {
  readonly sessionKey: string;
  readonly thumbprint: string;
  readonly vectors: readonly GoldenVector[];
};
export const goldenCertificatePem = fixture('golden-cert.pem');
const goldenPrivateKey = createPrivateKey(fixture('golden-key.pem'));

export const b64 = (text: string | undefined): Uint8Array | undefined =>
  text === undefined ? undefined : new Uint8Array(Buffer.from(text, 'base64'));

/** RSA-OAEP SHA-256/MGF1-SHA-256 decryption with the golden key: the partner's side, in node:crypto. */
export function goldenUnwrap(encryptedKey: Uint8Array): Uint8Array {
  return new Uint8Array(
    privateDecrypt(
      { key: goldenPrivateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      encryptedKey,
    ),
  );
}
