// An EC P-256 signing key pair in a Pkcs11Token found by its CKA_LABEL (the attestation key, `custos-attestation`):
// generated on first need, non-extractable, and found by label afterwards. Must not import store, service or api.
import { InternalError } from '@custos/contract';
import type * as Pkcs11js from 'pkcs11js';
import { ecSpki, generateTokenKey, type TokenKey } from './token-keys.js';
import type { Pkcs11Token, TokenCall } from './token.js';

/** The private keys with this label (their CKA_IDs, hex, sorted) and the public key of the first. */
function findByLabel({ lib, p11, session }: TokenCall, label: string): TokenKey | undefined {
  const find = (template: Pkcs11js.Template): Pkcs11js.Handle[] => {
    p11.C_FindObjectsInit(session, template);
    try {
      return p11.C_FindObjects(session, 16);
    } finally {
      p11.C_FindObjectsFinal(session);
    }
  };
  const ids = find([
    { type: lib.CKA_CLASS, value: lib.CKO_PRIVATE_KEY },
    { type: lib.CKA_KEY_TYPE, value: lib.CKK_EC },
    { type: lib.CKA_LABEL, value: label },
  ])
    .map((handle) => p11.C_GetAttributeValue(session, handle, [{ type: lib.CKA_ID }])[0]?.value.toString('hex'))
    .filter((id): id is string => id !== undefined)
    .sort();
  // Two nodes generating at once may leave two pairs: every node takes the same one, the smallest CKA_ID.
  for (const id of ids) {
    const [publicKey] = find([
      { type: lib.CKA_CLASS, value: lib.CKO_PUBLIC_KEY },
      { type: lib.CKA_ID, value: Buffer.from(id, 'hex') },
    ]);
    if (publicKey !== undefined) return { id, publicKey: ecSpki(lib, p11, session, publicKey, 'P-256') };
  }
  return undefined;
}

/**
 * The EC P-256 pair labelled `label`, generated when the token has none. Sign with `tokenSignDigest(token, key.id,
 * { scheme: 'ecdsa' }, digest)`.
 * @example const key = await labelledSigningKey(token, 'custos-attestation');
 */
export async function labelledSigningKey(token: Pkcs11Token, label: string): Promise<TokenKey> {
  const found = await token.run('C_FindObjects', (call) => Promise.resolve(findByLabel(call, label)));
  if (found) return found;
  await generateTokenKey(token, { type: 'ec', curve: 'P-256' }, label);
  const made = await token.run('C_FindObjects', (call) => Promise.resolve(findByLabel(call, label)));
  if (!made) throw new InternalError(`the token has no key labelled ${label} after generating one`);
  return made;
}
