// The attestation identity's certificate chain: the stored one while it certifies the identity's key, else a new
// self-signed attestation root (made on first need, e.g. the first GetAttestationRoots after init); the roots
// verifiers pin; the properties an attestation states about a key. Must not import api.
import { InternalError } from '@custos/contract';
import { selfSignedRoot, type AttestationIdentity } from '../../core/attestation/certificate.js';
import type { AttestedProperties, KeyOrigin } from '../../core/attestation/properties.js';
import { ATTESTATION_VERSION } from '../../core/attestation/properties.js';
import { parseChain, pemOf, samePublicKey, type x509 } from '../../core/certificates/x509.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { attestationIdentity } from './identity.js';

/** The identity and its chain (the identity's own certificate first, the root last). */
export interface AttestationSetup {
  readonly identity: AttestationIdentity;
  readonly chain: readonly x509.X509Certificate[];
}

/**
 * The identity and its chain. A missing chain, or one for another key (the root of trust changed), is replaced by a
 * self-signed root, in the call's one transaction (two nodes at once: the first write wins, both read it back).
 */
export async function attestationSetup(ctx: OpContext): Promise<AttestationSetup> {
  const identity = await attestationIdentity(ctx);
  const stored = await repo.attestationIdentity.get(ctx.store.db);
  if (stored && samePublicKey(stored.publicKey, identity.publicKey))
    return { identity, chain: parseChain(stored.chain) };
  const root = await selfSignedRoot(identity, ctx.now());
  await ctx.transaction(async (tx) => {
    await repo.attestationIdentity.put(
      tx,
      { publicKey: identity.publicKey, chain: [pemOf(root)] },
      ctx.now(),
      stored !== undefined,
    );
  });
  const made = await repo.attestationIdentity.get(ctx.store.db);
  if (!made) throw new InternalError('the attestation chain was not stored');
  return { identity, chain: parseChain(made.chain) };
}

/** The trust anchors of a chain: its last certificate (self-signed: the default root, or the operator's CA root). */
export function rootsOf(chain: readonly x509.X509Certificate[]): x509.X509Certificate[] {
  const last = chain.at(-1);
  return last ? [last] : [];
}

/** HUKS's key flag from our origins: EXTERNAL is imported; AWS_KMS and AWS_CLOUDHSM were generated here. */
const ORIGIN: Readonly<Record<KeyRecord['origin'], KeyOrigin>> = {
  AWS_KMS: 'GENERATED',
  AWS_CLOUDHSM: 'GENERATED',
  EXTERNAL: 'IMPORTED',
};

/** What an attestation states about `key` for `challenge`. Nothing about the key's bytes. */
export function attestedProperties(key: KeyRecord, challenge: Uint8Array): AttestedProperties {
  return {
    version: ATTESTATION_VERSION,
    challenge: Buffer.from(challenge).toString('hex'),
    keyId: key.id,
    keySpec: key.spec,
    keyUsage: key.usage,
    origin: ORIGIN[key.origin],
    protectionLevel: key.protectionLevel,
    exportable: key.exportable,
    creationTime: key.createdAt.toISOString(),
    keyState: key.state,
    constraints: {
      ...(key.notBefore && { notBefore: key.notBefore.toISOString() }),
      ...(key.notAfter && { notAfter: key.notAfter.toISOString() }),
      ...(key.maxUses !== null && { maxUses: key.maxUses }),
      ...(key.allowedAlgorithms && { allowedAlgorithms: [...key.allowedAlgorithms] }),
    },
  };
}
