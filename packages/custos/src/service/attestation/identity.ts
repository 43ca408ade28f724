// The attestation identity (an ECDSA P-256 key held by the root of trust) behind one interface: under a PKCS#11 root
// a non-extractable pair in the root's token labelled `custos-attestation`, signing there; under a file, passphrase
// or Shamir root a key derived from the root (`deriveKey('attestation-signing')`). Must not import api.
import { createHash, createPrivateKey, createPublicKey, hkdfSync, sign, type KeyObject } from 'node:crypto';
import { mapHashToField } from '@noble/curves/abstract/modular.js';
import { p256 } from '@noble/curves/nist.js';
import { InternalError } from '@custos/contract';
import type { AttestationIdentity } from '../../core/attestation/certificate.js';
import { exposeSecret } from '../../core/secret-bytes.js';
import { labelledSigningKey } from '../../keystore/pkcs11/labelled-key.js';
import { tokenSignDigest } from '../../keystore/pkcs11/token-crypto.js';
import type { RootOfTrust } from '../../keystore/root-of-trust.js';
import type { ServiceContext } from '../context.js';

/** The attestation key's label in a PKCS#11 root's token. */
export const ATTESTATION_KEY_LABEL = 'custos-attestation';

/** The private scalar from the derived seed: 48 bytes (HKDF-Expand) reduced by noble's mapHashToField (FIPS 186-5 A.2). */
function derivedAttestationKey(seed: Uint8Array): KeyObject {
  const wide = new Uint8Array(hkdfSync('sha256', seed, new Uint8Array(0), 'custos attestation key v1', 48));
  const d = mapHashToField(wide, p256.Point.Fn.ORDER);
  const point = p256.getPublicKey(d, false); // 0x04 ‖ x ‖ y
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
  try {
    return createPrivateKey({
      key: { kty: 'EC', crv: 'P-256', d: b64(d), x: b64(point.subarray(1, 33)), y: b64(point.subarray(33)) },
      format: 'jwk',
    });
  } finally {
    wide.fill(0);
    d.fill(0);
  }
}

async function softwareIdentity(root: RootOfTrust): Promise<AttestationIdentity> {
  const seed = await root.deriveKey('attestation-signing');
  let privateKey: KeyObject;
  try {
    privateKey = derivedAttestationKey(exposeSecret(seed));
  } finally {
    seed.wipe();
  }
  return {
    publicKey: new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })),
    sign: (message) =>
      Promise.resolve(new Uint8Array(sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' }))),
  };
}

async function tokenIdentity(ctx: ServiceContext): Promise<AttestationIdentity> {
  const hsm = ctx.hsmTokens;
  if (!hsm) throw new InternalError('the root of trust has no PKCS#11 token');
  const token = await hsm.rootToken();
  const key = await labelledSigningKey(token, ATTESTATION_KEY_LABEL);
  if (!key.publicKey) throw new InternalError('the attestation key has no public key');
  return {
    publicKey: key.publicKey,
    // SoftHSM2 has no CKM_ECDSA_SHA256: hash here, CKM_ECDSA on the digest in the token (specs/pkcs11.md).
    sign: async (message) =>
      tokenSignDigest(
        await hsm.rootToken(),
        key.id,
        { scheme: 'ecdsa' },
        createHash('sha256').update(message).digest(),
      ),
  };
}

const identities = new WeakMap<RootOfTrust, Promise<AttestationIdentity>>();

/**
 * The attestation identity of this root of trust, made once per process (a failure is retried on the next call).
 * @example const identity = await attestationIdentity(ctx);
 */
export function attestationIdentity(ctx: ServiceContext): Promise<AttestationIdentity> {
  let identity = identities.get(ctx.rootOfTrust);
  if (!identity) {
    identity = (ctx.hsmTokens?.hasRootToken ? tokenIdentity(ctx) : softwareIdentity(ctx.rootOfTrust)).catch(
      (err: unknown) => {
        identities.delete(ctx.rootOfTrust);
        throw err;
      },
    );
    identities.set(ctx.rootOfTrust, identity);
  }
  return identity;
}
