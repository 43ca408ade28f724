// A keyring's certificates (MOSIP getCertificate, getAllCertificates, generateCSR, generateMasterKey): the current
// one (generated on first use when the policy is active), every generation's, a CSR for the current key, and the
// master keys made on request. Must not import api.
import {
  AccessDeniedError,
  ValidationError,
  type GenerateKeyringMasterKeyRequest,
  type GenerateKeyringMasterKeyResponse,
  type KeyringCertificate,
  type KeyringSubject,
} from '@custos/contract';
import { createCsr } from '../../core/certificates/issue.js';
import { pemOf } from '../../core/certificates/x509.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyringPolicyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { ringPolicy } from './access.js';
import { currentGeneration } from './current.js';
import { ensureLevel, type Level } from './generate.js';
import { ringSigner } from './key-pairs.js';
import { certificateOut, levelOf, ringOf, subjectOf, validityPolicy, type Ring } from './rings.js';

/** An inactive policy generates nothing (KEYRING_ACCESS_NOT_ALLOWED). */
function requireActive(policy: KeyringPolicyRecord): void {
  if (!policy.active)
    throw new AccessDeniedError(
      `the keyring policy of ${policy.applicationId} is not active`,
      'KEYRING_ACCESS_NOT_ALLOWED',
    );
}

/** The ring's current key (a partner certificate counts for a Base keyring), generated when there is none. */
export async function currentCertificate(ctx: OpContext, ring: Ring): Promise<KeyringCertificate> {
  const policy = await ringPolicy(ctx, ring);
  const level = levelOf(ring);
  const { preExpireDays } = await validityPolicy(ctx.store.db, ring);
  const kinds = level === 'BASE' ? (['BASE', 'PARTNER'] as const) : [level];
  const current = await currentGeneration(ctx.store.db, ring, kinds, preExpireDays, ctx.now());
  if (current) {
    ctx.audit.keyId = current.key?.id ?? null;
    return certificateOut(current.entry);
  }
  requireActive(policy);
  const made = await ensureLevel(ctx, ring);
  ctx.audit.keyId = made.key.id;
  return certificateOut(made.entry);
}

/** Every generation's certificate, newest first (symmetric keys have none). */
export async function allCertificates(ctx: OpContext, ring: Ring): Promise<KeyringCertificate[]> {
  await ringPolicy(ctx, ring);
  const entries = await repo.keyringKeys.ofKeyring(ctx.store.db, ring.applicationId, ring.referenceId);
  return entries.filter((e) => e.certificate !== null).map(certificateOut);
}

async function currentLevel(ctx: OpContext, ring: Ring): Promise<Level> {
  requireActive(await ringPolicy(ctx, ring));
  const level = await ensureLevel(ctx, ring);
  ctx.audit.keyId = level.key.id;
  return level;
}

/** A PKCS#10 request for the ring's current key (generated when there is none), signed by it. */
export async function keyringCsr(
  ctx: OpContext,
  ring: Ring,
  subject: KeyringSubject | undefined,
): Promise<{ csr: string; issuedAt: Date; expiresAt: Date }> {
  const level = await currentLevel(ctx, ring);
  const csr = await createCsr(await ringSigner(ctx, level.key), subjectOf(ring, subject));
  return { csr: pemOf(csr), issuedAt: level.entry.generatedAt, expiresAt: level.entry.expiresAt };
}

/** The ROOT or a master key (made when there is none, or replaced with `force`), as a certificate or a CSR. */
export async function masterKey(
  ctx: OpContext,
  input: GenerateKeyringMasterKeyRequest,
): Promise<GenerateKeyringMasterKeyResponse> {
  const ring = ringOf(input);
  if (levelOf(ring) === 'BASE')
    throw new ValidationError('a master key has an empty reference id (or SIGN with application KERNEL)');
  requireActive(await ringPolicy(ctx, ring));
  const level = await ensureLevel(ctx, ring, { force: input.force === true, subject: input.subject });
  ctx.audit.keyId = level.key.id;
  const dates = { issuedAt: level.entry.generatedAt, expiresAt: level.entry.expiresAt, keyId: level.key.id };
  if (input.objectType === 'CERTIFICATE') return { certificate: level.entry.certificate ?? '', ...dates };
  const csr = await createCsr(await ringSigner(ctx, level.key), subjectOf(ring, input.subject));
  return { csr: pemOf(csr), ...dates };
}
